package booking

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"time"

	"gorm.io/gorm"
)

// demoPhotoWalls are the wall colours of the demo rooms' drawn photos, one per room.
var demoPhotoWalls = []color.RGBA{
	{0x9c, 0x3d, 0x2e, 0xff}, // the council chamber's red
	{0x5b, 0x8c, 0x6e, 0xff},
	{0x4a, 0x6f, 0x9c, 0xff},
	{0x8a, 0x6d, 0x3b, 0xff},
	{0x6d, 0x5a, 0x8c, 0xff},
}

// demoRoomPhoto draws a small picture of a meeting room (a wall with a
// window, a table and chairs) as a PNG, so the demo needs no image files.
func demoRoomPhoto(i, seats int) ([]byte, error) {
	const w, h = 240, 150
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	wall := demoPhotoWalls[i%len(demoPhotoWalls)]
	floor := color.RGBA{0xd8, 0xcf, 0xc0, 0xff}
	fill := func(x0, y0, x1, y1 int, c color.RGBA) {
		for y := max(y0, 0); y < min(y1, h); y++ {
			for x := max(x0, 0); x < min(x1, w); x++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
	fill(0, 0, w, 90, wall)
	fill(0, 90, w, h, floor)
	fill(90, 18, 150, 62, color.RGBA{0xcf, 0xe6, 0xf5, 0xff})   // window
	fill(118, 18, 122, 62, color.RGBA{0xf4, 0xf4, 0xf4, 0xff})  // its frame
	fill(40, 100, 200, 122, color.RGBA{0x7a, 0x55, 0x33, 0xff}) // table
	chairs := min(max(seats/2, 2), 8)
	for k := 0; k < chairs; k++ {
		x := 44 + k*(152/chairs)
		fill(x, 92, x+12, 100, color.RGBA{0x33, 0x33, 0x33, 0xff})
		fill(x, 122, x+12, 132, color.RGBA{0x33, 0x33, 0x33, 0xff})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// seedRoomPhoto gives a demo room its drawn photo.
func seedRoomPhoto(tx *gorm.DB, r *Resource, i int) error {
	data, err := demoRoomPhoto(i, r.Seats)
	if err != nil {
		return err
	}
	p, err := NewPhoto(r.ID, data, time.Now().UTC())
	if err != nil {
		return err
	}
	if err := tx.Create(p).Error; err != nil {
		return err
	}
	r.Photo = p.ETag
	return tx.Model(r).Update("photo", p.ETag).Error
}
