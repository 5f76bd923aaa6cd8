package booking

import "context"

// Resources returns the active resources of kind, by name.
func (s *Service) Resources(ctx context.Context, kind string) ([]Resource, error) {
	var rs []Resource
	err := s.db.R.WithContext(ctx).Where("kind = ? AND active = ?", kind, true).Order("name, id").Find(&rs).Error
	return rs, err
}
