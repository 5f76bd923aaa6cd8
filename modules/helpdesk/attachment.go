package helpdesk

import (
	"context"
	"mime/multipart"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/web"
)

// MaxAttachmentBytes is the largest photo or screenshot accepted (5 MB):
// a phone's photo fits, and the server's body limit (8 MB) stays above it,
// so a larger file reaches the form and gets its own message.
const MaxAttachmentBytes = 5 << 20

// maxAttachmentsPerTicket bounds what one ticket may hold in the database.
const maxAttachmentsPerTicket = 20

// Attachment errors, each shown next to the photo field.
var (
	ErrPhotoTooLarge = errs.New(errs.Invalid, "helpdesk: the photo is larger than 5 MB")
	ErrPhotoType     = errs.New(errs.Invalid, "helpdesk: the photo is not PNG, JPEG, GIF or WebP")
	ErrPhotoTooMany  = errs.New(errs.Invalid, "helpdesk: the ticket holds as many photos as it may")
)

func init() {
	for e, k := range map[error]string{
		ErrPhotoTooLarge: "helpdesk.err.photo_too_large",
		ErrPhotoType:     "helpdesk.err.photo_type",
		ErrPhotoTooMany:  "helpdesk.err.photo_too_many",
	} {
		messages[e] = k
	}
}

// attachmentTypes are the image types kept, as content sniffing names them.
// SVG is not among them: it is a document that may carry script.
var attachmentTypes = map[string]string{"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}

// Attachment is a photo or screenshot on a ticket, kept in the database so a
// backup holds the ticket whole. CommentID is set when it came with a comment.
type Attachment struct {
	ID          uint   `gorm:"primaryKey"`
	TicketID    uint   `gorm:"not null;index"`
	CommentID   *uint  `gorm:"index"`
	ByID        uint   `gorm:"not null"`
	Name        string `gorm:"size:200;not null"` // the file's name, cleaned, for display only
	ContentType string `gorm:"size:20;not null"`  // sniffed from the bytes
	Size        int    `gorm:"not null"`
	Data        []byte `gorm:"not null"`
	CreatedAt   time.Time
}

func (Attachment) TableName() string { return "helpdesk_attachments" }

// Ext is the file extension of the sniffed type, for a safe download name.
func (at *Attachment) Ext() string { return attachmentTypes[at.ContentType] }

// photoRule is what a ticket's photo field takes.
var photoRule = web.FileRule{Types: attachmentTypes, Max: MaxAttachmentBytes, TooLarge: ErrPhotoTooLarge, WrongType: ErrPhotoType}

// ReadPhoto reads a form's photo (web.FileRule.Read); a nil header is no file.
func ReadPhoto(fh *multipart.FileHeader) (*web.Upload, error) { return photoRule.Read(fh) }

// Attach stores a photo on a ticket the actor may see and is not closed,
// with its audit row, in one transaction.
func (s *Service) Attach(ctx context.Context, a actor.Actor, ticketID uint, commentID *uint, up web.Upload) (*Attachment, error) {
	ct, err := photoRule.Check(&up)
	if err != nil {
		return nil, err
	}
	at := &Attachment{TicketID: ticketID, CommentID: commentID, ByID: a.ID, Name: photoRule.Name(&up, ct, "photo"),
		ContentType: ct, Size: len(up.Data), Data: up.Data, CreatedAt: s.now().UTC()}
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		t, q, err := load(tx, ticketID)
		if err != nil {
			return err
		}
		if a.ID == 0 || (t.ReporterID != a.ID && !isStaff(a, q)) {
			return ErrNotFound
		}
		if t.State == StateClosed {
			return ErrClosed
		}
		var n int64
		if err := tx.Model(&Attachment{}).Where("ticket_id = ?", ticketID).Count(&n).Error; err != nil {
			return err
		}
		if n >= maxAttachmentsPerTicket {
			return ErrPhotoTooMany
		}
		if err := tx.Create(at).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "helpdesk.attach", "helpdesk_ticket", ticketID, nil,
			map[string]any{"attachment_id": at.ID, "name": at.Name, "type": ct, "size": at.Size})
	})
	if err != nil {
		return nil, err
	}
	return at, nil
}

// visibleAttachments is the query of ticket's attachments a viewer sees: the
// reporter not those of internal comments.
func visibleAttachments(q *gorm.DB, ticketID uint, staff bool) *gorm.DB {
	q = q.Model(&Attachment{}).Where("helpdesk_attachments.ticket_id = ?", ticketID)
	if !staff {
		q = q.Where("(helpdesk_attachments.comment_id IS NULL OR helpdesk_attachments.comment_id NOT IN (SELECT id FROM helpdesk_comments WHERE internal = ?))", true)
	}
	return q
}

// AttachmentFile is one photo with its bytes, for whoever may see its
// ticket (and, of an internal comment, only staff); ErrNotFound otherwise.
func (s *Service) AttachmentFile(ctx context.Context, a actor.Actor, id uint) (*Attachment, error) {
	r := s.db.R.WithContext(ctx)
	var head Attachment
	if err := r.Select("id, ticket_id").Where("id = ?", id).Limit(1).Find(&head).Error; err != nil {
		return nil, err
	}
	if head.ID == 0 {
		return nil, ErrNotFound
	}
	t, _, staff, err := loadForViewer(r, a, head.TicketID)
	if err != nil {
		return nil, err
	}
	var at Attachment
	if err := visibleAttachments(r, t.ID, staff).Where("helpdesk_attachments.id = ?", id).Limit(1).Find(&at).Error; err != nil {
		return nil, err
	}
	if at.ID == 0 {
		return nil, ErrNotFound
	}
	return &at, nil
}
