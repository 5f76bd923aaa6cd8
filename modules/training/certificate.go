package training

import (
	"context"
	"mime/multipart"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/web"
)

// MaxCertificateBytes is the largest certificate file accepted (5 MB): a
// scanned page fits, and the server's body limit (8 MB) stays above it, so
// a larger file reaches the form and gets its own message.
const MaxCertificateBytes = 5 << 20

// Certificate file refusals, each shown next to the file's field.
var (
	ErrCertificateTooLarge = errs.New(errs.Invalid, "training: the certificate file is larger than 5 MB")
	ErrCertificateType     = errs.New(errs.Invalid, "training: the certificate file is not PDF, PNG or JPEG")
)

// certificateTypes are the kinds of file kept, as content sniffing names
// them, with the extension a download gets. Nothing that may carry script
// (HTML, SVG) is among them.
var certificateTypes = map[string]string{"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}

// Ext is the file extension of the sniffed type, for a safe download name.
func (f *CertificateFile) Ext() string { return certificateTypes[f.ContentType] }

// certificateRule is what a certificate file field takes.
var certificateRule = web.FileRule{Types: certificateTypes, Max: MaxCertificateBytes, TooLarge: ErrCertificateTooLarge, WrongType: ErrCertificateType}

// ReadCertificate reads a form's certificate file (web.FileRule.Read); no
// file is nil.
func ReadCertificate(fh *multipart.FileHeader) (*web.Upload, error) { return certificateRule.Read(fh) }

// storeCertificate keeps the upload as the completion's certificate in tx,
// replacing one uploaded before.
func (s *Service) storeCertificate(tx *gorm.DB, a actor.Actor, completionID uint, up *web.Upload) error {
	ct, err := certificateRule.Check(up)
	if err != nil {
		return err
	}
	f := CertificateFile{CompletionID: completionID, Name: certificateRule.Name(up, ct, "certificate"), ContentType: ct,
		Size: len(up.Data), Data: up.Data, CreatedAt: s.now()}
	if err := tx.Where("completion_id = ?", completionID).Delete(&CertificateFile{}).Error; err != nil {
		return err
	}
	if err := tx.Create(&f).Error; err != nil {
		return err
	}
	return audit.Record(tx, a, "training.certificate.upload", CompletionEntity, completionID, nil,
		map[string]any{"name": f.Name, "type": f.ContentType, "size": f.Size})
}

// AttachCertificate uploads the certificate of a completion afterwards (HR).
func (s *Service) AttachCertificate(ctx context.Context, a actor.Actor, completionID uint, up *web.Upload) error {
	if !isStaff(a) {
		return ErrRecordNotFound
	}
	if up == nil {
		return ErrCertificateType
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Completion{}).Where("id = ?", completionID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrRecordNotFound
		}
		return s.storeCertificate(tx, a, completionID, up)
	})
}

// Certificate is a completion's certificate file, for whoever may see the
// person's record; anyone else (and a completion without a file) gets not
// found, so a guessed id tells nothing.
func (s *Service) Certificate(ctx context.Context, a actor.Actor, completionID uint) (*CertificateFile, error) {
	q := s.db.R.WithContext(ctx)
	var c Completion
	if err := q.Select("id, person_id").Where("id = ?", completionID).Limit(1).Find(&c).Error; err != nil {
		return nil, err
	}
	if c.ID == 0 {
		return nil, ErrRecordNotFound
	}
	ok, err := s.maySeePerson(ctx, s.db.R.WithContext(ctx), a, c.PersonID)
	if err != nil || !ok {
		return nil, hiddenAsNotFound(err)
	}
	var f CertificateFile
	if err := q.Where("completion_id = ?", completionID).Limit(1).Find(&f).Error; err != nil {
		return nil, err
	}
	if f.CompletionID == 0 {
		return nil, ErrRecordNotFound
	}
	return &f, nil
}

// hiddenAsNotFound is err, or not found when there is none: a record the viewer
// may not see is one that does not exist.
func hiddenAsNotFound(err error) error {
	if err != nil {
		return err
	}
	return ErrRecordNotFound
}
