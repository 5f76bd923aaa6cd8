package helpdesk

import "kapu/modules/platform/db"

// Migrations are the module's SQL steps GORM cannot express; none yet.
func Migrations() []db.Migration { return statsMigrations() }
