package web

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestCols(t *testing.T) {
	tests := []struct {
		specs []string
		want  []Column
	}{
		{[]string{"leave.dates"}, []Column{{Key: "leave.dates"}}},
		{[]string{"leave.days num"}, []Column{{Key: "leave.days", Class: "num"}}},
		{[]string{" leave.days  num   minor "}, []Column{{Key: "leave.days", Class: "num minor"}}},
		{[]string{"leave.dates", "form.actions actions"}, []Column{{Key: "leave.dates"}, {Key: "form.actions", Class: "actions"}}},
		{nil, []Column{}},
	}
	for _, tt := range tests {
		if got := cols(tt.specs...); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("cols(%q) = %+v; want %+v", tt.specs, got, tt.want)
		}
	}
}

func TestColumnQuiet(t *testing.T) {
	tests := []struct {
		class string
		want  bool
	}{
		{"", false},
		{"num", false},
		{"num minor", false},
		{"actions", true},
		{"select", true},
		{"minor actions", true},
		{"actionsx", false},
	}
	for _, tt := range tests {
		if got := (Column{Key: "k", Class: tt.class}).Quiet(); got != tt.want {
			t.Errorf("Column{Class: %q}.Quiet() = %v; want %v", tt.class, got, tt.want)
		}
	}
}

// The header a list draws: labels in the viewer's language, the column classes
// the phone and medium layouts key on, and an actions column that only screen
// readers hear about.
func TestListHeadPartial(t *testing.T) {
	s := newTestServer(t)
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"hu", []string{`<th scope="col">Időszak</th>`, `<th scope="col" class="num minor">Munkanap</th>`,
			`<th scope="col" class="actions"><span class="visually-hidden">Műveletek</span></th>`}},
		{"en", []string{`<th scope="col">Dates</th>`, `<th scope="col" class="num minor">Working days</th>`,
			`<th scope="col" class="actions"><span class="visually-hidden">Actions</span></th>`}},
	} {
		var buf bytes.Buffer
		data := map[string]any{
			"P":    &Page{srv: s, Lang: tt.lang},
			"Cols": cols("leave.dates", "leave.days num minor", "form.actions actions"),
		}
		if err := s.views.Render(&buf, "partials/list_head", data); err != nil {
			t.Fatal(err)
		}
		html := buf.String()
		if !strings.HasPrefix(strings.TrimSpace(html), "<thead>") || !strings.HasSuffix(strings.TrimSpace(html), "</thead>") {
			t.Errorf("list_head (%s) is not one <thead>:\n%s", tt.lang, html)
		}
		for _, want := range tt.want {
			if !strings.Contains(html, want) {
				t.Errorf("list_head (%s) lacks %s:\n%s", tt.lang, want, html)
			}
		}
		if n := strings.Count(html, "<th "); n != 3 {
			t.Errorf("list_head (%s) draws %d header cells; want 3:\n%s", tt.lang, n, html)
		}
	}
}
