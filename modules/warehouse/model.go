// Package warehouse is the city hall's supply store: a catalogue of stocked
// items and the stock ledger every change of stock is written to. The ledger
// (Movement) is the truth; each item's on_hand and reserved columns are a
// cache of its sums, moved in the same transaction as the row that moves
// them and guarded so that stock never goes below zero and never more is
// reserved than is on the shelf (ledger.go). Requests and their approval
// (request*.go) build on it; the to procure list and the handover come
// next.
package warehouse

import (
	"slices"
	"time"
)

// Unit is how an item is counted. Whole units are counted in pieces (a box
// is never split); the others are measured and take up to three decimals.
type Unit struct {
	Code  string // stored on the item; also its catalog key warehouse.unit.<code>
	Whole bool
}

// Units lists the units items may be counted in, in the order forms show
// them. A fixed list, so every unit has a name in both languages and a
// whole-or-measured rule no item can contradict.
var Units = []Unit{
	{"db", true}, {"csomag", true}, {"doboz", true}, {"rizsma", true}, {"tekercs", true},
	{"flakon", true}, {"par", true}, {"kg", false}, {"l", false}, {"m", false},
}

// UnitOf is the unit with code, and whether there is one.
func UnitOf(code string) (Unit, bool) {
	i := slices.IndexFunc(Units, func(u Unit) bool { return u.Code == code })
	if i < 0 {
		return Unit{}, false
	}
	return Units[i], true
}

// Categories group items for the catalogue and the statistics; each has its
// catalog key warehouse.category.<key>.
var Categories = []string{"office", "paper", "toner", "cleaning", "hygiene", "forms", "it", "other"}

// Item is one stocked article of the catalogue.
type Item struct {
	ID uint `gorm:"primaryKey"`
	// Code is what the storekeeper and the shelf label call it ("PAP-A4-80"),
	// upper case, unique.
	Code     string `gorm:"size:40;not null;uniqueIndex:warehouse_item_code"`
	NameHU   string `gorm:"size:200;not null"`
	NameEN   string `gorm:"size:200;not null"` // "" shows NameHU
	Category string `gorm:"size:20;not null;index"`
	Unit     string `gorm:"size:20;not null"`            // a code of Units
	Location string `gorm:"size:40;not null;default:''"` // the shelf, "B-03-2"
	// ReorderLevel is the available quantity at which the item counts as low.
	ReorderLevel Qty `gorm:"not null;default:0"`
	// UnitPrice is forints for one unit, for the cost statistics.
	UnitPrice int64 `gorm:"not null;default:0"`
	Active    bool  `gorm:"not null"`
	// OnHand and Reserved are the cache of the ledger's sums (Movement.Quantity
	// and Movement.Reserved), written only by post; the database refuses
	// on_hand < 0 and reserved outside 0..on_hand (migrations.go).
	OnHand    Qty `gorm:"not null;default:0"`
	Reserved  Qty `gorm:"not null;default:0"`
	CreatedAt time.Time
	UpdatedAt time.Time // a catalogue edit; stock movements leave it
}

func (Item) TableName() string { return "warehouse_items" }

// Name is the item's name in lang.
func (it *Item) Name(lang string) string {
	if lang == "en" && it.NameEN != "" {
		return it.NameEN
	}
	return it.NameHU
}

// Available is what may still be reserved or issued off the shelf.
func (it *Item) Available() Qty { return it.OnHand - it.Reserved }

// UnitInfo is the item's unit (a zero Unit for a code no longer listed).
func (it *Item) UnitInfo() Unit {
	u, _ := UnitOf(it.Unit)
	return u
}

// Movement kinds: each is one way stock changes.
const (
	KindReceipt  = "receipt"   // delivered by a supplier: on hand up
	KindIssue    = "issue"     // handed over to a department: on hand down (and reserved, if it was)
	KindReturn   = "return"    // brought back by a department: on hand up
	KindAdjust   = "adjust"    // stock-take: on hand set to what was counted
	KindWriteOff = "write_off" // damaged, expired, lost: on hand down
	KindReserve  = "reserve"   // promised to a request: reserved up
	KindRelease  = "release"   // promise withdrawn: reserved down
)

// Kinds lists every movement kind.
var Kinds = []string{KindReceipt, KindIssue, KindReturn, KindAdjust, KindWriteOff, KindReserve, KindRelease}

// Movement is one row of the stock ledger; rows are only ever added. Its two
// signed changes sum, per item, to the item's cached columns, and the after
// columns carry the running balance the change left (rows of one item are in
// id order of their updates: the item's row lock is held from the update to
// the commit).
type Movement struct {
	ID     uint   `gorm:"primaryKey;index:warehouse_movement_item,priority:2"`
	ItemID uint   `gorm:"not null;index:warehouse_movement_item,priority:1"`
	Kind   string `gorm:"size:20;not null"`
	// Quantity is the signed change of on hand; Reserved the signed change
	// of the reserved quantity (an issue of reserved stock moves both).
	Quantity      Qty `gorm:"not null"`
	Reserved      Qty `gorm:"not null"`
	OnHandAfter   Qty `gorm:"not null"`
	ReservedAfter Qty `gorm:"not null"`
	// DepartmentID is the cost centre the stock went to or came from.
	DepartmentID *uint
	Supplier     string `gorm:"size:200;not null;default:''"` // receipt
	DeliveryNote string `gorm:"size:100;not null;default:''"` // receipt
	Reason       string `gorm:"size:500;not null;default:''"` // adjust, write-off, return
	// RequestLineID is the request line the movement served (next slice).
	RequestLineID *uint `gorm:"index"`
	ActorID       *uint
	CreatedAt     time.Time `gorm:"not null"` // indexed by warehouse/0002_stats_indexes
}

func (Movement) TableName() string { return "warehouse_movements" }

// Models lists the module's tables.
func Models() []any {
	return []any{&Item{}, &Movement{}, &LowAlert{}, &Request{}, &RequestLine{}, &Order{}, &ConfirmLink{}, &statsCell{}, &statsItemMonth{}, &statsMonth{}, &statsRequest{}}
}
