package jobs

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// outcomeBadges maps a run's outcome to the badge style the page shows it in.
var outcomeBadges = map[string]string{
	OutcomeRunning: "badge-info",
	OutcomeOK:      "badge-success",
	OutcomeError:   "badge-danger",
	OutcomeSkipped: "badge-muted",
	OutcomeIdle:    "badge-muted",
}

// jobRow is one registered job as the page shows it.
type jobRow struct {
	JobInfo
	Label    string // translated name; "" shows the raw name
	Schedule string // translated schedule
	LastTook string
}

// runRow is one past run as the page shows it.
type runRow struct {
	Run
	Took string
}

// handleJobList shows every job with its schedule and last run, and below them
// the run history, optionally of one job.
func (m *Module) handleJobList(c *fiber.Ctx) error {
	page := web.PageParam(c.Query("page"))
	filter := strings.TrimSpace(c.Query("job"))
	if len(filter) > maxNameLen {
		filter = ""
	}
	infos := m.sched.Jobs()
	labels := make(map[string]string, len(infos))
	rows := make([]jobRow, 0, len(infos))
	for _, info := range infos {
		row := jobRow{JobInfo: info, Label: jobLabel(c, info.Name), Schedule: scheduleText(c, info)}
		if info.LastRun != nil && info.LastRun.FinishedAt != nil {
			row.LastTook = durationText(c, info.LastRun.Took())
		}
		labels[info.Name] = row.Label
		rows = append(rows, row)
	}
	runs, total, err := m.sched.ListRuns(c.UserContext(), filter, page)
	if err != nil {
		return err
	}
	runRows := make([]runRow, 0, len(runs))
	for _, r := range runs {
		row := runRow{Run: r}
		if r.FinishedAt != nil {
			row.Took = durationText(c, r.Took())
		}
		runRows = append(runRows, row)
	}
	return web.Render(c, "jobs/job_list", web.Page{
		Title: "jobs.title",
		Form:  fiber.Map{"Job": filter},
		Data: fiber.Map{
			"Jobs":   rows,
			"Runs":   runRows,
			"Labels": labels,
			"Badges": outcomeBadges,
			"Pager":  web.NewPager(page, total, RunsPerPage),
		},
	})
}

// jobLabel is the job's name from the catalogs (jobs.name.<name>), or "" when
// there is none and the page shows the raw name.
func jobLabel(c *fiber.Ctx, name string) string {
	key := "jobs.name." + name
	if s := web.T(c, key); s != key {
		return s
	}
	return ""
}

// scheduleText says when a job runs, in the page's language.
func scheduleText(c *fiber.Ctx, info JobInfo) string {
	if info.Interval > 0 {
		return web.T(c, "jobs.schedule_every", "Interval", durationText(c, info.Interval))
	}
	return web.T(c, "jobs.schedule_daily", "At", info.At)
}

// durationText writes a duration the way people read one: "350 ms", "1.5 s",
// "2 min 5 s", "1 h 30 min".
func durationText(c *fiber.Ctx, d time.Duration) string {
	unit := func(key string, n any) string { return web.T(c, "jobs.duration."+key, "N", n) }
	switch {
	case d < time.Second:
		return unit("ms", d.Milliseconds())
	case d < time.Minute:
		d = d.Round(100 * time.Millisecond)
		decimals := 1
		if d%time.Second == 0 {
			decimals = 0
		}
		return unit("s", i18n.FormatNumber(web.LangOf(c), d.Seconds(), decimals))
	case d < time.Hour:
		d = d.Round(time.Second)
		text := unit("min", int64(d/time.Minute))
		if s := int64(d % time.Minute / time.Second); s > 0 {
			text += " " + unit("s", s)
		}
		return text
	}
	d = d.Round(time.Minute)
	text := unit("h", int64(d/time.Hour))
	if m := int64(d % time.Hour / time.Minute); m > 0 {
		text += " " + unit("min", m)
	}
	return text
}
