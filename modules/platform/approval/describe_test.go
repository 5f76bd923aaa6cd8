package approval

import "testing"

// TestRowIDs: a Describe reads each request's row by its id, and a subject
// that is no id is an error naming the kind, never row 0.
func TestRowIDs(t *testing.T) {
	ids, err := RowIDs([]Request{{Kind: "leave", SubjectID: "12"}, {Kind: "leave", SubjectID: "7"}})
	if err != nil || len(ids) != 2 || ids[0] != 12 || ids[1] != 7 {
		t.Fatalf("RowIDs(12, 7) = %v, %v; want [12 7]", ids, err)
	}
	for _, bad := range []string{"", "0", "-3", "12a", "99999999999"} {
		if _, err := (&Request{Kind: "warehouse.request", SubjectID: bad}).RowID(); err == nil {
			t.Errorf("RowID(%q) gave no error", bad)
		}
	}
	got := Briefs([]Request{{Title: "stored"}, {Title: "x"}}, []*int{nil, new(int)}, func(*int) Summary { return Summary{Title: "fresh"} })
	if got[0].Title != "stored" || got[1].Title != "fresh" {
		t.Errorf("Briefs = %q, %q; want the stored title for a gone subject and the brief for the other", got[0].Title, got[1].Title)
	}
}
