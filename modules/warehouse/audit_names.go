package warehouse

import (
	"context"
	"strconv"

	"kapu/modules/platform/audit"
)

// AuditNames lets the audit log name items by code and name in the reader's
// language ("PAP-A4-80 Másolópapír A4, 80 g").
func (m *Module) AuditNames() map[string]audit.Namer {
	return map[string]audit.Namer{itemEntity: m.svc.itemNames, requestEntity: m.svc.requestNames}
}

// itemNames is the Namer of itemEntity.
func (s *Service) itemNames(ctx context.Context, lang string, ids []string) (map[string]string, error) {
	nums := audit.NumericIDs(ids)
	if len(nums) == 0 {
		return nil, nil
	}
	var items []Item
	if err := s.db.R.WithContext(ctx).Select("id, code, name_hu, name_en").Where("id IN ?", nums).Find(&items).Error; err != nil {
		return nil, err
	}
	out := make(map[string]string, len(items))
	for _, it := range items {
		out[strconv.FormatUint(uint64(it.ID), 10)] = it.Code + " " + it.Name(lang)
	}
	return out, nil
}
