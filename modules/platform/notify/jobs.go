package notify

import (
	"context"

	"kapu/modules/platform/schedule"
)

// Jobs registers the delivery job: it writes the mails composed at sending
// time and sends what is due.
func (m *Module) Jobs(j schedule.Registrar) error {
	o := m.out
	return j.Every("notify.deliver", deliverEvery, func(ctx context.Context) error {
		// Composed even without a server: the outbox page shows them then.
		composed, err := o.ComposeDue(ctx)
		if err != nil {
			return err
		}
		n, err := o.Deliver(ctx)
		if n > 0 {
			o.log.Info("mail delivered", "count", n)
		}
		return schedule.Did(composed+n, err)
	})
}
