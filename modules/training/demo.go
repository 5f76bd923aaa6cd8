package training

import (
	"context"

	"kapu/modules/platform/demo"
)

// demo adds the demo city hall's trainings.
func (m *Module) demo(ctx context.Context, o demo.Options) error { return nil }
