package kapu

import (
	"os"
	"testing"
)

func TestZZDump(t *testing.T) {
	app := newDemoApp(t, "sqlite")
	c := newClient(t, app)
	c.login("employee", "demo")
	for name, p := range map[string]string{"week": "/bookings", "day": "/bookings?view=day&date=2026-11-24", "cars": "/bookings?kind=car", "eq": "/bookings?kind=equipment&view=day&date=2026-11-24"} {
		res, body := c.get(p)
		t.Log(name, res.StatusCode)
		os.WriteFile("/tmp/tl-"+name+".html", []byte(body), 0o644)
	}
}
