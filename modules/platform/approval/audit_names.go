package approval

import (
	"context"

	"kapu/modules/platform/audit"
	"kapu/modules/platform/web"
)

// AuditNames lets the audit log name approval requests by their title in
// the reader's language.
func (m *Module) AuditNames() map[string]audit.Namer {
	return map[string]audit.Namer{Entity: m.requestNames}
}

func (m *Module) requestNames(ctx context.Context, lang string, ids []string) (map[string]string, error) {
	nums := audit.NumericIDs(ids)
	if len(nums) == 0 {
		return nil, nil
	}
	var reqs []Request
	if err := m.engine.db.R.WithContext(ctx).Where("id IN ?", nums).Find(&reqs).Error; err != nil {
		return nil, err
	}
	sums, err := m.engine.Describe(ctx, reqs, lang)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(reqs))
	for i, r := range reqs {
		out[web.FormatID(r.ID)] = sums[i].Title
	}
	return out, nil
}
