// Package static embeds Kapu's css, scripts and images; nothing comes from a CDN.
package static

import "embed"

// FS holds css/, js/ and img/.
//
//go:embed css js img
var FS embed.FS
