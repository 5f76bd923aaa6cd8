package jobs

import (
	"context"
	"strings"
)

// RunsPerPage is the size of a page of the run history.
const RunsPerPage = 50

// ListRuns returns one page (1-based) of runs, newest first, of the named job
// or of every job when name is "", and the number matching.
func (s *Scheduler) ListRuns(ctx context.Context, name string, page int) ([]Run, int64, error) {
	q := s.d.R.WithContext(ctx).Model(&Run{})
	if name = strings.TrimSpace(name); name != "" {
		q = q.Where("job = ?", name)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	if page < 1 {
		page = 1
	}
	var out []Run
	err := q.Order("started_at DESC, id DESC").Limit(RunsPerPage).Offset((page - 1) * RunsPerPage).Find(&out).Error
	return out, total, err
}

// lastRun returns the newest run of the job on any replica, or nil.
func (s *Scheduler) lastRun(ctx context.Context, name string) (*Run, error) {
	var out []Run
	err := s.d.R.WithContext(ctx).Where("job = ?", name).Order("started_at DESC, id DESC").Limit(1).Find(&out).Error
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return &out[0], nil
}
