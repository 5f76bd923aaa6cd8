package warehouse

import (
	"errors"

	"kapu/modules/platform/errs"
	"kapu/modules/platform/i18n"
)

// Errors the service returns; the next slice's forms map them to field
// messages (Message gives each one's catalog key).
var (
	ErrQuantity     = errs.New(errs.Invalid, "warehouse: the quantity must be a number above zero")
	ErrFraction     = errs.New(errs.Invalid, "warehouse: the item is counted in whole units")
	ErrTooMuch      = errs.New(errs.Invalid, "warehouse: the quantity is beyond any real one")
	ErrNotFound     = errs.New(errs.NotFound, "warehouse: no such item")
	ErrInactive     = errs.New(errs.Conflict, "warehouse: the item is no longer stocked")
	ErrForbidden    = errs.New(errs.Forbidden, "warehouse: only the storekeeper moves stock")
	ErrShort        = errs.New(errs.Conflict, "warehouse: not enough in stock")
	ErrNotReserved  = errs.New(errs.Conflict, "warehouse: not that much is reserved")
	ErrStale        = errs.New(errs.Conflict, "warehouse: the stock changed since it was counted")
	ErrBelowReserve = errs.New(errs.Conflict, "warehouse: fewer counted than reserved")
	ErrNoDifference = errs.New(errs.Invalid, "warehouse: the count equals the stock")
	ErrDepartment   = errs.New(errs.Invalid, "warehouse: choose the department")
	ErrSupplier     = errs.New(errs.Invalid, "warehouse: a receipt names its supplier")
	ErrDeliveryNote = errs.New(errs.Invalid, "warehouse: a receipt names its delivery note")
	ErrReason       = errs.New(errs.Invalid, "warehouse: say why")
	ErrText         = errs.New(errs.Invalid, "warehouse: a text is too long or holds control characters")

	ErrCode      = errs.New(errs.Invalid, "warehouse: the code is letters, digits, dots and dashes")
	ErrCodeTaken = errs.New(errs.Conflict, "warehouse: another item has that code")
	ErrName      = errs.New(errs.Invalid, "warehouse: the item needs a Hungarian name")
	ErrCategory  = errs.New(errs.Invalid, "warehouse: unknown category")
	ErrUnit      = errs.New(errs.Invalid, "warehouse: unknown unit")
	ErrUnitFixed = errs.New(errs.Conflict, "warehouse: the unit cannot change once stock has moved")
	ErrPrice     = errs.New(errs.Invalid, "warehouse: the unit price is out of range")

	// A return tied to a request (ReturnOnRequest).
	ErrReturnLine       = errs.New(errs.Invalid, "warehouse: the request has no line of this item handed over")
	ErrReturnDepartment = errs.New(errs.Invalid, "warehouse: the request was booked to another department")
	ErrReturnCap        = errs.New(errs.Conflict, "warehouse: more would come back than the request's line issued")
)

// ShortError is ErrShort (or ErrNotReserved) saying how much there is:
// "only 2 left". Left is what was available off the shelf (on hand less
// reserved) when the change was refused, or for a release or an issue of
// reserved stock, what was reserved.
type ShortError struct {
	ItemID   uint
	Left     Qty
	Unit     string
	Reserved bool // Left is the reserved quantity (ErrNotReserved)
}

func (e *ShortError) Error() string {
	return e.sentinel().Error() + ": " + e.Left.String() + " " + e.Unit
}

// Is makes errors.Is(err, ErrShort) (or ErrNotReserved) and the Conflict kind hold.
func (e *ShortError) Is(target error) bool {
	return target == e.sentinel() || errors.Is(e.sentinel(), target)
}

func (e *ShortError) sentinel() error {
	if e.Reserved {
		return ErrNotReserved
	}
	return ErrShort
}

// BelowReserveError is ErrBelowReserve naming what is reserved: a count below
// it would leave promises the shelf cannot keep, so they are released first.
type BelowReserveError struct {
	Reserved Qty
	Unit     string
}

func (e *BelowReserveError) Error() string {
	return ErrBelowReserve.Error() + ": " + e.Reserved.String() + " " + e.Unit
}

// Is makes errors.Is(err, ErrBelowReserve) and the Conflict kind hold.
func (e *BelowReserveError) Is(target error) bool {
	return target == ErrBelowReserve || errors.Is(ErrBelowReserve, target)
}

// ReturnCapError is ErrReturnCap saying how much may still come back on
// the line: what it issued less what was returned on it before.
type ReturnCapError struct {
	Left, Issued Qty
	Unit         string
}

func (e *ReturnCapError) Error() string {
	return ErrReturnCap.Error() + ": " + e.Left.String() + " " + e.Unit
}

// Is makes errors.Is(err, ErrReturnCap) and the Conflict kind hold.
func (e *ReturnCapError) Is(target error) bool {
	return target == ErrReturnCap || errors.Is(ErrReturnCap, target)
}

// messages are each error's sentence in the catalogs (warehouse.*.json).
var messages = map[error]string{
	ErrQuantity: "warehouse.err.quantity", ErrFraction: "warehouse.err.fraction", ErrTooMuch: "warehouse.err.too_much",
	ErrNotFound: "warehouse.err.not_found", ErrInactive: "warehouse.err.inactive", ErrForbidden: "warehouse.err.forbidden",
	ErrStale: "warehouse.err.stale", ErrNoDifference: "warehouse.err.no_difference", ErrDepartment: "warehouse.err.department",
	ErrSupplier: "warehouse.err.supplier", ErrDeliveryNote: "warehouse.err.delivery_note", ErrReason: "warehouse.err.reason",
	ErrText: "warehouse.err.text", ErrCode: "warehouse.err.code", ErrCodeTaken: "warehouse.err.code_taken",
	ErrName: "warehouse.err.name", ErrCategory: "warehouse.err.category", ErrUnit: "warehouse.err.unit",
	ErrUnitFixed: "warehouse.err.unit_fixed", ErrPrice: "warehouse.err.price",
	ErrReturnLine: "warehouse.err.return_line", ErrReturnDepartment: "warehouse.err.return_department",
	ErrReturnCap: "warehouse.err.return_cap_any",
}

// Message is the catalog key and arguments that tell a reader in lang what
// went wrong; "" for an error the web layer's status page explains. A
// quantity (Left, Reserved) comes written for lang, its unit (Unit) in
// lang's word from c (the code when c is nil).
func Message(c *i18n.Catalog, lang string, err error) (key string, args []any) {
	unit := func(code string) string {
		if c == nil {
			return code
		}
		return c.T(lang, "warehouse.unit."+code)
	}
	var se *ShortError
	if errors.As(err, &se) {
		key = "warehouse.err.short"
		if se.Reserved {
			key = "warehouse.err.not_reserved"
		}
		return key, []any{"Left", se.Left.Format(lang), "Unit", unit(se.Unit)}
	}
	var rc *ReturnCapError
	if errors.As(err, &rc) {
		return "warehouse.err.return_cap", []any{"Left", rc.Left.Format(lang), "Issued", rc.Issued.Format(lang), "Unit", unit(rc.Unit)}
	}
	var be *BelowReserveError
	if errors.As(err, &be) {
		return "warehouse.err.below_reserve", []any{"Reserved", be.Reserved.Format(lang), "Unit", unit(be.Unit)}
	}
	for e, k := range messages {
		if errors.Is(err, e) {
			return k, nil
		}
	}
	return "", nil
}
