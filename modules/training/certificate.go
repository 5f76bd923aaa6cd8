package training

import (
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"unicode"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/errs"
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

// CertificateUpload is a certificate file as a form carried it.
type CertificateUpload struct {
	Name string
	Data []byte
}

// ReadCertificate reads a form's file, at most one byte over the limit, so
// a huge file is refused without being held whole. No file is nil.
func ReadCertificate(fh *multipart.FileHeader) (*CertificateUpload, error) {
	if fh == nil || fh.Size == 0 {
		return nil, nil
	}
	if fh.Size > MaxCertificateBytes {
		return nil, ErrCertificateTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxCertificateBytes+1))
	if err != nil {
		return nil, err
	}
	up := &CertificateUpload{Name: fh.Filename, Data: data}
	if _, err := up.check(); err != nil {
		return nil, err
	}
	return up, nil
}

// check names the file's type by its bytes (never by its name or the
// browser's word), or refuses it.
func (u *CertificateUpload) check() (string, error) {
	if len(u.Data) > MaxCertificateBytes {
		return "", ErrCertificateTooLarge
	}
	ct := http.DetectContentType(u.Data)
	if _, ok := certificateTypes[ct]; !ok || len(u.Data) == 0 {
		return "", ErrCertificateType
	}
	return ct, nil
}

// certificateName keeps a file name fit to show: its last path part,
// printable, on one line, at most 100 characters.
func certificateName(name, ct string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	if r := []rune(name); len(r) > 100 {
		name = string(r[:100])
	}
	if name = strings.TrimSpace(name); name == "" {
		name = "certificate" + certificateTypes[ct]
	}
	return name
}

// storeCertificate keeps the upload as the completion's certificate in tx,
// replacing one uploaded before.
func (s *Service) storeCertificate(tx *gorm.DB, a actor.Actor, completionID uint, up *CertificateUpload) error {
	ct, err := up.check()
	if err != nil {
		return err
	}
	f := CertificateFile{CompletionID: completionID, Name: certificateName(up.Name, ct), ContentType: ct,
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
func (s *Service) AttachCertificate(ctx context.Context, a actor.Actor, completionID uint, up *CertificateUpload) error {
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
