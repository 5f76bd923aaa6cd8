package booking

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/web"
)

// MaxPhotoBytes is the largest room photo accepted.
const MaxPhotoBytes = 2 << 20

// Photo errors, each shown next to the photo field.
var (
	ErrPhotoMissing  = errs.New(errs.Invalid, "booking: no photo chosen")
	ErrPhotoTooLarge = errs.New(errs.Invalid, "booking: photo larger than 2 MB")
	ErrPhotoType     = errs.New(errs.Invalid, "booking: photo is not JPEG, PNG or WebP")
)

// photoRule is what a room's photo field takes: JPEG, PNG or WebP by its bytes.
var photoRule = web.FileRule{Types: map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"},
	Max: MaxPhotoBytes, TooLarge: ErrPhotoTooLarge, WrongType: ErrPhotoType}

// ResourcePhoto is a room's photo, kept apart from the resource so listing
// resources never reads image bytes. ETag is a hash of the bytes.
type ResourcePhoto struct {
	ResourceID  uint   `gorm:"primaryKey;autoIncrement:false"`
	ContentType string `gorm:"size:20;not null"`
	ETag        string `gorm:"size:64;not null"`
	Data        []byte `gorm:"not null"`
	UpdatedAt   time.Time
}

func (ResourcePhoto) TableName() string { return "booking_resource_photos" }

// SniffPhoto names the image type of data by its content (never by the file
// name or the browser's word), or refuses it.
func SniffPhoto(data []byte) (string, error) {
	if len(data) == 0 {
		return "", ErrPhotoMissing
	}
	return photoRule.Check(&web.Upload{Data: data})
}

// SetPhoto stores a room's photo, replacing the one before.
func (s *Service) SetPhoto(ctx context.Context, a actor.Actor, id uint, data []byte) (*Resource, error) {
	p, err := NewPhoto(id, data, s.now())
	if err != nil {
		return nil, err
	}
	return s.changePhoto(ctx, a, id, func(tx *gorm.DB, r *Resource) error {
		if err := tx.Save(p).Error; err != nil {
			return err
		}
		r.Photo = p.ETag
		return nil
	})
}

// NewPhoto checks data and makes the photo row of a resource; the demo
// stores its drawn photos with it too.
func NewPhoto(resourceID uint, data []byte, now time.Time) (*ResourcePhoto, error) {
	ct, err := SniffPhoto(data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	return &ResourcePhoto{ResourceID: resourceID, ContentType: ct, ETag: hex.EncodeToString(sum[:16]), Data: data, UpdatedAt: now}, nil
}

// RemovePhoto deletes a room's photo.
func (s *Service) RemovePhoto(ctx context.Context, a actor.Actor, id uint) (*Resource, error) {
	return s.changePhoto(ctx, a, id, func(tx *gorm.DB, r *Resource) error {
		r.Photo = ""
		return tx.Delete(&ResourcePhoto{}, r.ID).Error
	})
}

// changePhoto runs change on a room a manages and audits the photo's ETag before and after.
func (s *Service) changePhoto(ctx context.Context, a actor.Actor, id uint, change func(tx *gorm.DB, r *Resource) error) (*Resource, error) {
	var r Resource
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := manageable(tx, a, id, &r); err != nil {
			return err
		}
		if r.Kind != KindRoom {
			return ErrNotFound
		}
		before := r.Photo
		if err := change(tx, &r); err != nil {
			return err
		}
		if err := tx.Model(&Resource{}).Where("id = ?", r.ID).
			Updates(map[string]any{"photo": r.Photo, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "booking.resource.photo", "booking_resource", r.ID,
			map[string]string{"photo": before}, map[string]string{"photo": r.Photo})
	})
	if err != nil {
		return nil, err
	}
	s.resources.Forget(r.ID)
	return &r, nil
}

// PhotoOf returns a resource's photo, or ErrNotFound.
func (s *Service) PhotoOf(ctx context.Context, id uint) (*ResourcePhoto, error) {
	var p ResourcePhoto
	err := s.db.R.WithContext(ctx).Where("resource_id = ?", id).Limit(1).Find(&p).Error
	if err != nil {
		return nil, err
	}
	if p.ResourceID == 0 {
		return nil, ErrNotFound
	}
	return &p, nil
}
