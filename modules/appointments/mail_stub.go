package appointments

import "gorm.io/gorm"

// Placeholders until the citizen mails land (the public pages' part).
func (s *Service) tellBooked(tx *gorm.DB, a *Appointment) error    { return nil }
func (s *Service) tellMoved(tx *gorm.DB, a *Appointment) error     { return nil }
func (s *Service) tellCancelled(tx *gorm.DB, a *Appointment) error { return nil }
func (s *Service) tellConfirmed(tx *gorm.DB, a *Appointment) error { return nil }
