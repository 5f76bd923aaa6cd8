package web

import (
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"
)

// Upload is a file a form carried, as a FileRule read it.
type Upload struct {
	Name string // as the browser sent it; CleanFileName makes it fit to show
	Data []byte
}

// FileRule is what a file field takes: the content types by what the bytes
// are (never the file's name or the browser's word), each with the
// extension a download gets; the largest size; and the module's errors for
// a file too large or of another type, which its form puts by the field.
// Keep out every type a browser may run as a page (HTML, SVG).
type FileRule struct {
	Types     map[string]string
	Max       int
	TooLarge  error
	WrongType error
}

// Read reads the form's file fh, at most one byte over Max, so a huge file
// is refused without being held whole, and checks it. No file is nil, nil.
func (r FileRule) Read(fh *multipart.FileHeader) (*Upload, error) {
	if fh == nil || fh.Size == 0 {
		return nil, nil
	}
	if fh.Size > int64(r.Max) {
		return nil, r.TooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(r.Max)+1))
	if err != nil {
		return nil, err
	}
	up := &Upload{Name: fh.Filename, Data: data}
	if _, err := r.Check(up); err != nil {
		return nil, err
	}
	return up, nil
}

// Check names the upload's type by its bytes, or refuses it.
func (r FileRule) Check(u *Upload) (string, error) {
	if len(u.Data) > r.Max {
		return "", r.TooLarge
	}
	ct := http.DetectContentType(u.Data)
	if _, ok := r.Types[ct]; !ok || len(u.Data) == 0 {
		return "", r.WrongType
	}
	return ct, nil
}

// Name is the upload's name fit to show (CleanFileName), or fallback and
// the extension of type ct when nothing of it is left.
func (r FileRule) Name(u *Upload, ct, fallback string) string {
	if name := CleanFileName(u.Name); name != "" {
		return name
	}
	return fallback + r.Types[ct]
}

// CleanFileName keeps a file name fit to show: its last path part,
// printable, on one line, without quotes, at most 100 characters.
func CleanFileName(name string) string {
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
	return strings.TrimSpace(name)
}

// SendStored answers with a stored file as the type its bytes were found
// to be, never as a page the browser would run: nosniff, a sandboxing CSP,
// a plain file name (downloadName, which the caller makes of ids, not of
// what was uploaded), cached only by the viewer's own browser.
func SendStored(c *fiber.Ctx, contentType, downloadName string, data []byte) error {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentSecurityPolicy, "sandbox; default-src 'none'")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+downloadName+`"`)
	c.Set(fiber.HeaderCacheControl, "private, max-age=3600")
	return c.Send(data)
}
