package notify

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"path"
	"strings"
	texttemplate "text/template"

	"kapu/modules/platform/i18n"
	"kapu/views"
)

// emailDir holds the email templates inside views.FS. They end in .tmpl, so the
// page engine (which reads .html) never sees them.
const emailDir = "emails"

// mailTemplate is one message template with the shared layout: the HTML set is
// escaped for HTML, the text set (subject and plain body) is not.
type mailTemplate struct {
	html *htmltemplate.Template
	text *texttemplate.Template
}

// Generic is the data of the "generic" template, which other modules reuse for
// plain notices: a heading, lines of facts and one button. The fields are shown
// as given, so write them in the message's language.
type Generic struct {
	Title       string
	Lines       []string
	ActionURL   string // absolute, or a path that is joined to the base URL
	ActionLabel string
}

// view is what an email template receives: .Data (Message.Data), .BaseURL,
// .Reason, .To, .ToName, .Lang, .Public and .City (the layout's frame for
// citizens), and the methods .T (bound to the message's language, since the
// recipient's language is not the request's) and .Abs.
type view struct {
	Data    any
	BaseURL string
	Reason  string
	To      string
	ToName  string
	Lang    string
	Public  bool
	City    string
	cat     *i18n.Catalog
}

// T translates key into the message's language.
func (v view) T(key string, args ...any) string { return v.cat.T(v.Lang, key, args...) }

// Abs turns a Kapu path into a link that works from a mail client.
func (v view) Abs(u string) string {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return v.BaseURL + u
	}
	return u
}

// rendered is a message ready to store.
type rendered struct {
	Subject, Text, HTML string
}

// parseTemplates parses layout.tmpl once per template language and adds each
// message template to its own copy, since every message defines the same blocks.
func parseTemplates() (map[string]*mailTemplate, error) {
	layout, err := fs.ReadFile(views.FS, path.Join(emailDir, "layout.tmpl"))
	if err != nil {
		return nil, fmt.Errorf("email layout: %w", err)
	}
	baseHTML, err := htmltemplate.New("layout").Parse(string(layout))
	if err != nil {
		return nil, fmt.Errorf("email layout: %w", err)
	}
	baseText, err := texttemplate.New("layout").Parse(string(layout))
	if err != nil {
		return nil, fmt.Errorf("email layout: %w", err)
	}
	files, err := fs.Glob(views.FS, path.Join(emailDir, "*.tmpl"))
	if err != nil {
		return nil, err
	}
	out := map[string]*mailTemplate{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".tmpl")
		if name == "layout" {
			continue
		}
		src, err := fs.ReadFile(views.FS, f)
		if err != nil {
			return nil, err
		}
		h, err := htmltemplate.Must(baseHTML.Clone()).Parse(string(src))
		if err != nil {
			return nil, fmt.Errorf("email %s: %w", name, err)
		}
		t, err := texttemplate.Must(baseText.Clone()).Parse(string(src))
		if err != nil {
			return nil, fmt.Errorf("email %s: %w", name, err)
		}
		for _, block := range []string{"subject", "html", "text"} {
			if t.Lookup(block) == nil {
				return nil, fmt.Errorf("email %s: no %q block", name, block)
			}
		}
		out[name] = &mailTemplate{html: h, text: t}
	}
	return out, nil
}

// render fills the message's template in its language.
func (o *Outbox) render(m Message) (rendered, error) {
	t, ok := o.tpls[m.Template]
	if !ok {
		return rendered{}, fmt.Errorf("notify: no email template %q", m.Template)
	}
	v := view{
		Data: m.Data, BaseURL: strings.TrimRight(o.cfg.BaseURL, "/"), Reason: m.Reason,
		To: m.To, ToName: m.ToName, Lang: m.Lang, Public: m.Public, City: o.cfg.City, cat: o.cat,
	}
	var subj, text, html bytes.Buffer
	if err := t.text.ExecuteTemplate(&subj, "subject", v); err != nil {
		return rendered{}, fmt.Errorf("notify: %s subject: %w", m.Template, err)
	}
	if err := t.text.ExecuteTemplate(&text, "layout.text", v); err != nil {
		return rendered{}, fmt.Errorf("notify: %s text: %w", m.Template, err)
	}
	if err := t.html.ExecuteTemplate(&html, "layout.html", v); err != nil {
		return rendered{}, fmt.Errorf("notify: %s html: %w", m.Template, err)
	}
	return rendered{
		// A subject is one header line: fold whatever the template left in it.
		Subject: strings.Join(strings.Fields(subj.String()), " "),
		Text:    tidyText(text.String()),
		HTML:    html.String(),
	}, nil
}

// tidyText trims trailing spaces and squeezes the blank lines that template
// actions leave behind, so the plain body reads like a hand-written mail.
func tidyText(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var b strings.Builder
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "--" {
			l = "-- " // the signature separator keeps its space
		}
		if l == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			if blank > 0 {
				b.WriteString("\n\n")
			} else {
				b.WriteString("\n")
			}
		}
		blank = 0
		b.WriteString(l)
	}
	return b.String() + "\n"
}
