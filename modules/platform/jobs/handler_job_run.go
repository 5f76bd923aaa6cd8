package jobs

import (
	"errors"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"kapu/modules/platform/audit"
	"kapu/modules/platform/web"
)

// handleJobRun runs a job at once for an administrator and reports how it went.
// Jobs are short, so the request waits for the run.
func (m *Module) handleJobRun(c *fiber.Ctx) error {
	name := c.Params("name")
	run, err := m.sched.RunNow(c.UserContext(), name)
	if errors.Is(err, ErrUnknownJob) { // a not-found kind: the 404 page
		return err
	}
	// Who pressed the button goes to the audit log; the run row only knows the node.
	aerr := m.sched.d.Tx(c.UserContext(), func(tx *gorm.DB) error {
		return audit.Record(tx, web.ActorOf(c), "jobs.run", "job", name, nil,
			fiber.Map{"run": run.ID, "outcome": run.Outcome, "error": run.Error})
	})
	if aerr != nil {
		web.ServerOf(c).Log.Error("manual job run not audited", "job", name, "error", aerr)
	}
	label := jobLabel(c, name)
	if label == "" {
		label = name
	}
	switch {
	case err != nil:
		web.AddFlash(c, "error", web.T(c, "jobs.run_failed", "Name", label, "Error", run.Error))
	case run.Outcome == OutcomeIdle:
		web.Success(c, "jobs.run_idle", "Name", label)
	default:
		web.Success(c, "jobs.run_done", "Name", label, "Took", durationText(c, run.Took()))
	}
	return c.Redirect("/admin/jobs", fiber.StatusSeeOther)
}
