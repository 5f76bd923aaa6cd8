package booking

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// photoErrors names the photo field's message for each refusal.
var photoErrors = map[error]web.FieldMessage{
	ErrPhotoMissing:  {"photo", "booking.admin.error.photo_missing"},
	ErrPhotoTooLarge: {"photo", "booking.admin.error.photo_too_large"},
	ErrPhotoType:     {"photo", "booking.admin.error.photo_type"},
}

// handleAdminPhotoUpload stores a room's photo from a multipart form. The
// type is decided by the bytes, and a file over the limit is refused without
// being read whole.
func (m *Module) handleAdminPhotoUpload(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	a := web.ActorOf(c)
	r, err := m.svc.AdminResource(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	data, err := readPhoto(c)
	if err == nil {
		_, err = m.svc.SetPhoto(c.UserContext(), a, id, data)
	}
	if errs, ok := web.FieldErrors(err, photoErrors); ok {
		return m.renderAdminForm(c, r, formOf(r), errs, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	web.Success(c, "booking.admin.photo_saved", "Name", r.Name)
	return c.Redirect("/bookings/admin/"+itoa(id), fiber.StatusSeeOther)
}

// handleAdminPhotoDelete removes a room's photo.
func (m *Module) handleAdminPhotoDelete(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	r, err := m.svc.RemovePhoto(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	web.Success(c, "booking.admin.photo_removed", "Name", r.Name)
	return c.Redirect("/bookings/admin/"+itoa(id), fiber.StatusSeeOther)
}

// readPhoto reads the form's "photo" file (web.FileRule.Read).
func readPhoto(c *fiber.Ctx) ([]byte, error) {
	fh, err := c.FormFile("photo")
	if err != nil {
		return nil, ErrPhotoMissing
	}
	up, err := photoRule.Read(fh)
	if up == nil && err == nil {
		return nil, ErrPhotoMissing
	}
	if err != nil {
		return nil, err
	}
	return up.Data, nil
}

// handleResourcePhoto serves a room's photo to anyone signed in. The ETag
// lets browsers revalidate cheaply; links carry ?v=<etag>, so a new photo is
// a new URL and the old one may be cached for long.
func (m *Module) handleResourcePhoto(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	p, err := m.svc.PhotoOf(c.UserContext(), id)
	if err != nil {
		return err
	}
	etag := `"` + p.ETag + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "private, max-age=86400")
	c.Set(fiber.HeaderLastModified, p.UpdatedAt.UTC().Format(http.TimeFormat))
	if match := c.Get(fiber.HeaderIfNoneMatch); match == etag || match == "W/"+etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, p.ContentType)
	return c.Send(p.Data)
}
