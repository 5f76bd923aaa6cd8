package notify

import (
	"regexp"
	"strings"
)

// Segment is a piece of a plain-text body: text, or a link when URL is set.
// The page template escapes both, so a body can never inject markup.
type Segment struct {
	Text string
	URL  string
}

var urlRe = regexp.MustCompile(`https?://[^\s<>"'` + "`" + `]+`)

// Linkify splits text into plain and link segments, so the outbox page can show
// a plain-text mail with clickable links as its recipient's client would.
func Linkify(text string) []Segment {
	var out []Segment
	last := 0
	for _, loc := range urlRe.FindAllStringIndex(text, -1) {
		start, end := loc[0], loc[1]
		end = start + len(trimURL(text[start:end]))
		if end-start <= len("https://") {
			continue
		}
		if start > last {
			out = append(out, Segment{Text: text[last:start]})
		}
		out = append(out, Segment{Text: text[start:end], URL: text[start:end]})
		last = end
	}
	if last < len(text) {
		out = append(out, Segment{Text: text[last:]})
	}
	return out
}

// trimURL drops the punctuation that ends a sentence rather than the link, and
// a closing bracket that has no opening one inside the link.
func trimURL(u string) string {
	for u != "" {
		c := u[len(u)-1]
		switch {
		case strings.IndexByte(".,;:!?", c) >= 0:
			u = u[:len(u)-1]
		case c == ')' && strings.Count(u, "(") < strings.Count(u, ")"),
			c == ']' && strings.Count(u, "[") < strings.Count(u, "]"):
			u = u[:len(u)-1]
		default:
			return u
		}
	}
	return u
}
