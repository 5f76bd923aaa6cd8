package audit

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"kapu/modules/platform/db"
	"kapu/modules/platform/i18n"
)

// Namer names a module's records for the log, in lang: ids are entity ids as
// recorded, the answer maps each it knows to a short label ("Kiss Anna",
// "Tárgyaló 2, 2026. 12. 08. 10:00"). It is called once per entity and page.
type Namer func(ctx context.Context, lang string, ids []string) (map[string]string, error)

// AddNamers lets the log name the entities a module records (entity → Namer).
func (m *Module) AddNamers(ns map[string]Namer) {
	for entity, n := range ns {
		m.namers[entity] = n
	}
}

// Line is an entry as the log page shows it: a sentence in the reader's
// language naming the record, beside the raw action for administrators.
type Line struct {
	Entry
	Sentence string
}

// lines turns a page of entries into sentences, asking each entity's namer
// once for all its ids on the page.
func (m *Module) lines(ctx context.Context, cat *i18n.Catalog, lang string, entries []Entry) ([]Line, error) {
	ids := map[string][]string{}
	for _, e := range entries {
		ids[e.Entity] = append(ids[e.Entity], e.EntityID)
	}
	names := map[string]map[string]string{}
	for entity, list := range ids {
		n := m.namers[entity]
		if n == nil {
			continue
		}
		got, err := n(ctx, lang, list)
		if err != nil {
			return nil, err
		}
		names[entity] = got
	}
	out := make([]Line, len(entries))
	for i, e := range entries {
		what := names[e.Entity][e.EntityID]
		if what == "" {
			what = recordedName(e)
		}
		key := "audit.did." + e.Action
		s := cat.T(lang, key, "What", what)
		if s == key { // an action without a sentence yet still reads as one
			s = cat.T(lang, "audit.did_other", "Action", e.Action, "What", what)
		}
		out[i] = Line{Entry: e, Sentence: s}
	}
	return out, nil
}

// recordedName is the label of a record its namer no longer finds (deleted),
// or that has no namer: the name kept in the audit row, else its id.
func recordedName(e Entry) string {
	for _, raw := range []string{e.After, e.Before} {
		var v map[string]any
		if raw == "" || json.Unmarshal([]byte(raw), &v) != nil {
			continue
		}
		for _, k := range []string{"name", "Name", "title", "Title", "subject", "Subject"} {
			if s, ok := v[k].(string); ok && strings.TrimSpace(s) != "" {
				return s
			}
		}
	}
	if _, err := strconv.ParseUint(e.EntityID, 10, 64); err != nil {
		return e.EntityID // a name already, such as a job's
	}
	return "#" + e.EntityID
}

// Names is a Namer from one query that selects id and name for the numeric
// ids bound to its one placeholder: `SELECT id, name FROM people WHERE id IN ?`.
func Names(d *db.DB, query string) Namer {
	return func(ctx context.Context, _ string, ids []string) (map[string]string, error) {
		nums := NumericIDs(ids)
		if len(nums) == 0 {
			return nil, nil
		}
		var rows []struct {
			ID   uint64
			Name string
		}
		if err := d.R.WithContext(ctx).Raw(query, nums).Scan(&rows).Error; err != nil {
			return nil, err
		}
		out := make(map[string]string, len(rows))
		for _, r := range rows {
			out[strconv.FormatUint(r.ID, 10)] = r.Name
		}
		return out, nil
	}
}

// NumericIDs keeps the ids that are numbers, once each: entity ids are
// recorded as text, and a namer's query binds them as numbers.
func NumericIDs(ids []string) []uint64 {
	seen := map[uint64]bool{}
	var out []uint64
	for _, s := range ids {
		n, err := strconv.ParseUint(s, 10, 64)
		if err == nil && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}
