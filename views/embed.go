// Package views embeds Kapu's html templates, so one binary runs anywhere.
package views

import "embed"

// FS holds every template: layouts/, partials/, errors/ and one folder per module.
//
//go:embed *
var FS embed.FS
