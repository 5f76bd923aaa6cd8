package warehouse

import (
	"time"

	"kapu/modules/platform/calendar"
)

// Order is the storekeeper's note that what a request line lacks was
// ordered from a supplier: who, how much, expected when. One per line
// ordered; ReceivedAt is set once a receipt (or, for free text, the
// storekeeper's "received") covered it. Open orders of an item are its
// on-order quantity for the low-stock list (onOrder).
type Order struct {
	ID         uint          `gorm:"primaryKey"`
	LineID     uint          `gorm:"not null;index"`
	ItemID     *uint         `gorm:"index"`
	Supplier   string        `gorm:"size:200;not null"`
	ExpectedOn calendar.Date // zero: no day given
	Quantity   Qty           `gorm:"not null"`
	ActorID    *uint
	CreatedAt  time.Time `gorm:"not null"`
	ReceivedAt *time.Time
}

func (Order) TableName() string { return "warehouse_orders" }
