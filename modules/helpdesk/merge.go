package helpdesk

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/people"
)

// Errors of merging and linking.
var (
	ErrOtherNumber  = errs.New(errs.Invalid, "helpdesk: no ticket of yours to work has that number")
	ErrMergeSelf    = errs.New(errs.Invalid, "helpdesk: a ticket cannot be merged into itself")
	ErrMergeClosed  = errs.New(errs.Conflict, "helpdesk: a closed ticket cannot be merged")
	ErrMergeChain   = errs.New(errs.Invalid, "helpdesk: the target was itself merged into another ticket")
	ErrLinkSelf     = errs.New(errs.Invalid, "helpdesk: a ticket cannot be linked to itself")
	ErrLinkExists   = errs.New(errs.Invalid, "helpdesk: the tickets are linked already")
	ErrLinkNotFound = errs.New(errs.NotFound, "helpdesk: the tickets are not linked")
)

func init() {
	for e, k := range map[error]string{
		ErrOtherNumber: "helpdesk.merge.err.number", ErrMergeSelf: "helpdesk.merge.err.self",
		ErrMergeClosed: "helpdesk.merge.err.closed", ErrMergeChain: "helpdesk.merge.err.chain",
		ErrLinkSelf: "helpdesk.merge.err.link_self", ErrLinkExists: "helpdesk.merge.err.link_exists",
		ErrLinkNotFound: "helpdesk.merge.err.link_not_found",
	} {
		messages[e] = k
	}
}

// numberRe is a ticket number as people type it: "IT-00042", "it-42", "IT 42".
var numberRe = regexp.MustCompile(`^([A-Za-z]+)[\s-]*0*([0-9]{1,9})$`)

// findOther reads the ticket a typed number names, for staff who must work
// its queue too: a number of a ticket they may not see reads as unknown.
func findOther(q *gorm.DB, a actor.Actor, number string) (*Ticket, *Queue, error) {
	m := numberRe.FindStringSubmatch(strings.TrimSpace(number))
	if m == nil {
		return nil, nil, ErrOtherNumber
	}
	id, err := strconv.ParseUint(m[2], 10, 32)
	if err != nil || id == 0 {
		return nil, nil, ErrOtherNumber
	}
	t, qu, err := load(q, uint(id))
	if errors.Is(err, ErrNotFound) {
		return nil, nil, ErrOtherNumber
	}
	if err != nil {
		return nil, nil, err
	}
	if !strings.EqualFold(qu.Key, m[1]) || !isStaff(a, qu) {
		return nil, nil, ErrOtherNumber
	}
	return t, qu, nil
}

// mayMerge holds Merge's rules about the two tickets (the duplicate read
// for its queue's staff already).
func mayMerge(a actor.Actor, dup, into *Ticket, intoQ *Queue) error {
	switch {
	case !isStaff(a, intoQ):
		return ErrOtherNumber
	case dup.ID == into.ID:
		return ErrMergeSelf
	case dup.State == StateClosed || into.State == StateClosed:
		return ErrMergeClosed
	case into.MergedIntoID != nil:
		return ErrMergeChain
	}
	return nil
}

// MergeTarget is the ticket a typed number names when Merge would take it
// now, for the confirmation asked before merging; it changes nothing.
func (s *Service) MergeTarget(ctx context.Context, a actor.Actor, dupID uint, number string) (dup, into *Ticket, err error) {
	q := s.db.R.WithContext(ctx)
	dup, _, err = loadForStaff(q, a, dupID)
	if err != nil {
		return nil, nil, err
	}
	into, intoQ, err := findOther(q, a, number)
	if err != nil {
		return nil, nil, err
	}
	return dup, into, mayMerge(a, dup, into, intoQ)
}

// MergeByNumber is Merge with the target as people type it.
func (s *Service) MergeByNumber(ctx context.Context, a actor.Actor, dupID uint, number string) (*Ticket, error) {
	t, _, err := findOther(s.db.R.WithContext(ctx), a, number)
	if err != nil {
		// The duplicate's own rights come first: its 404 is not a form error.
		if _, _, lerr := loadForStaff(s.db.R.WithContext(ctx), a, dupID); lerr != nil {
			return nil, lerr
		}
		return nil, err
	}
	return t, s.Merge(ctx, a, dupID, t.ID)
}

// Merge closes ticket dupID as a duplicate of intoID: staff of the
// duplicate's queue (who must work the target's queue too) do it, neither
// ticket closed, not the same, and the target not merged itself; tickets
// merged into the duplicate before move on to the target, so merges never
// chain. Both tickets get a comment their reporters see, and the duplicate
// is resolved as a duplicate and then closed, in one transaction.
func (s *Service) Merge(ctx context.Context, a actor.Actor, dupID, intoID uint) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		dup, _, err := loadForStaff(tx, a, dupID)
		if err != nil {
			return err
		}
		into, intoQ, err := load(tx, intoID)
		if errors.Is(err, ErrNotFound) {
			return ErrOtherNumber
		}
		if err != nil {
			return err
		}
		if err := mayMerge(a, dup, into, intoQ); err != nil {
			return err
		}
		now := s.now().UTC()
		// Both rows are locked, in id order, on the state read: a merge of
		// the target elsewhere at the same moment (a chain) or the two
		// merged into each other waits and then finds the change.
		first, second := dup, into
		if into.ID < dup.ID {
			first, second = into, dup
		}
		for _, t := range []*Ticket{first, second} {
			res := tx.Model(&Ticket{}).Where("id = ? AND state = ? AND merged_into_id IS NULL", t.ID, t.State).Update("updated_at", now)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return ErrChanged
			}
		}
		if err := tx.Model(&Ticket{}).Where("id = ?", dup.ID).Update("merged_into_id", into.ID).Error; err != nil {
			return err
		}
		if err := s.markStatsDirty(tx, dup.ID); err != nil {
			return err
		}
		// Tickets merged into the duplicate earlier now point at the target
		// too, so no ticket points at a merged one.
		moved := tx.Model(&Ticket{}).Where("merged_into_id = ?", dup.ID).Update("merged_into_id", into.ID)
		if moved.Error != nil {
			return moved.Error
		}
		for _, c := range []struct {
			t   *Ticket
			key string
		}{{dup, "helpdesk.merge.comment_dup"}, {into, "helpdesk.merge.comment_into"}} {
			lang, err := s.langOf(tx, c.t.ReporterID)
			if err != nil {
				return err
			}
			body := s.cat.T(lang, c.key, "Dup", dup.Number, "Into", into.Number)
			cm := &Comment{TicketID: c.t.ID, ByID: a.ID, Body: body, CreatedAt: now}
			if err := tx.Create(cm).Error; err != nil {
				return err
			}
			// The target's people hear of it as of any comment; the
			// duplicate's hear of its closing below.
			if c.t == into {
				if err := s.changed(tx, a, into.ID, change{Kind: ChangeComment, Comment: cm}); err != nil {
					return err
				}
			}
		}
		if err := audit.Record(tx, a, "helpdesk.merge", "helpdesk_ticket", dup.ID, nil,
			map[string]any{"merged_into_id": into.ID, "merged_into": into.Number, "moved_duplicates": moved.RowsAffected}); err != nil {
			return err
		}
		if dup.State == StateResolved {
			// Resolved already: it is closed as a duplicate all the same.
			if err := tx.Model(&Ticket{}).Where("id = ?", dup.ID).Update("resolution_code", ResolvedDuplicate).Error; err != nil {
				return err
			}
		} else {
			if err := s.moveState(tx, a, dup, StateResolved, "", ResolvedDuplicate); err != nil {
				return err
			}
			dup.State = StateResolved
		}
		return s.moveState(tx, a, dup, StateClosed, "", "")
	})
}

// langOf is the language to write to person id in (their own, else the suite's).
func (s *Service) langOf(tx *gorm.DB, id uint) (string, error) {
	def := ""
	if s.cfg != nil {
		def = s.cfg.Lang
	}
	r, err := people.RecipientOf(tx, def, id)
	if err != nil {
		return "", err
	}
	if r == nil {
		return people.MailLang("", def), nil
	}
	return r.Lang, nil
}

// pair is the stored order of a link between a and b.
func pair(a, b uint) (uint, uint) {
	if a < b {
		return a, b
	}
	return b, a
}

// Link relates ticket id to the ticket with the typed number, both ways:
// staff of both queues do it; not a ticket to itself, not twice.
func (s *Service) Link(ctx context.Context, a actor.Actor, id uint, otherNumber string) (*Ticket, error) {
	var other *Ticket
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		t, _, err := loadForStaff(tx, a, id)
		if err != nil {
			return err
		}
		if other, _, err = findOther(tx, a, otherNumber); err != nil {
			return err
		}
		if other.ID == t.ID {
			return ErrLinkSelf
		}
		lo, hi := pair(t.ID, other.ID)
		l := TicketLink{LowID: lo, HighID: hi, ByID: a.ID, CreatedAt: s.now().UTC()}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&l)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrLinkExists
		}
		return audit.Record(tx, a, "helpdesk.link", "helpdesk_ticket", t.ID, nil,
			map[string]any{"linked_id": other.ID, "linked": other.Number})
	})
	if err != nil {
		return nil, err
	}
	return other, nil
}

// Unlink removes the link between ticket id and ticket otherID, for the
// staff of id's queue.
func (s *Service) Unlink(ctx context.Context, a actor.Actor, id, otherID uint) (*Ticket, error) {
	var other *Ticket
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		t, _, err := loadForStaff(tx, a, id)
		if err != nil {
			return err
		}
		lo, hi := pair(t.ID, otherID)
		res := tx.Where("low_id = ? AND high_id = ?", lo, hi).Delete(&TicketLink{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrLinkNotFound
		}
		if other, _, err = load(tx, otherID); err != nil {
			return err
		}
		return audit.Record(tx, a, "helpdesk.unlink", "helpdesk_ticket", t.ID,
			map[string]any{"linked_id": other.ID, "linked": other.Number}, nil)
	})
	if err != nil {
		return nil, err
	}
	return other, nil
}

// Related are a ticket's related tickets: the links both ways, what it was
// merged into and what was merged into it.
type Related struct {
	Links      []Ticket // linked either way
	MergedInto *Ticket
	Merged     []Ticket // duplicates merged into it
}

// RelatedOf reads a ticket's related tickets for the staff of its queue
// (a reporter learns nothing of other people's tickets through it).
func (s *Service) RelatedOf(ctx context.Context, a actor.Actor, id uint) (*Related, error) {
	q := s.db.R.WithContext(ctx)
	t, _, err := loadForStaff(q, a, id)
	if err != nil {
		return nil, err
	}
	r := &Related{}
	var ids []uint
	if err := q.Raw(`SELECT high_id FROM helpdesk_ticket_links WHERE low_id = ?
		UNION SELECT low_id FROM helpdesk_ticket_links WHERE high_id = ?`, id, id).Scan(&ids).Error; err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		if err := q.Where("id IN ?", ids).Order("id").Find(&r.Links).Error; err != nil {
			return nil, err
		}
	}
	if t.MergedIntoID != nil {
		var m Ticket
		if err := q.Where("id = ?", *t.MergedIntoID).Limit(1).Find(&m).Error; err != nil {
			return nil, err
		}
		if m.ID != 0 {
			r.MergedInto = &m
		}
	}
	if err := q.Where("merged_into_id = ?", id).Order("id").Find(&r.Merged).Error; err != nil {
		return nil, err
	}
	return r, nil
}
