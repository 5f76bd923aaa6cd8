package appointments_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kapu/modules/appointments"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// The slot rush of the issue, through a running server: rushCitizens
// citizens each open the booking form of one of rushSlots free times (the
// form page, its cookie and its signed token) and wait past the form's
// minimum fill time; then they post, each from its own address, arriving
// at rushRate a second (an open-loop load: a citizen does not wait for
// another's answer), so the latency is what each of them waits.
const (
	rushCitizens = 2000
	rushRate     = 1500 // attempts a second, the figure
	rushDesks    = 5
	rushSlots    = 100 // rushDesks × 20 slots of 15 minutes, 08:00–13:00
)

// BenchmarkSlotRushHTTP runs `kapu serve` as its own process on a fresh
// database of each dialect and measures, per rush (b.N of them, each on a
// fresh day of 100 free slots): the attempts per second the server answered
// (citizens / from the first post to the last answer), the p50 and p99 of
// the posts and the slowest winner's wait, the winners (exactly 100 or it fails) and the server's CPU per
// request (its user+system time from /proc over the requests it answered,
// for the form pages and the posts).
func BenchmarkSlotRushHTTP(b *testing.B) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		b.Skip("needs /proc to read the server's CPU time")
	}
	bin := filepath.Join(b.TempDir(), "kapu")
	build := exec.Command("go", "build", "-o", bin, "kapu/cmd/kapu")
	build.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	for _, dialect := range dbtest.Dialects() {
		b.Run(dialect, func(b *testing.B) { rushOn(b, bin, dialect) })
	}
}

// rushServer is a running `kapu serve` and what the rush needs of it.
type rushServer struct {
	base   string
	cmd    *exec.Cmd
	cpu    func() time.Duration // the server's CPU time so far
	client *http.Client
	typeID uint
	office uint
}

func rushOn(b *testing.B, bin, dialect string) {
	dir := b.TempDir()
	dsn := dbtest.DSN(b, dialect)
	if dialect == db.SQLite {
		dsn = filepath.Join(dir, "kapu.db")
	}
	addr := freeAddr(b)
	env := append(os.Environ(), "KAPU_DATA_DIR="+dir, "KAPU_DB="+dsn, "KAPU_ADDR="+addr,
		"KAPU_BASE_URL=http://"+addr, "KAPU_TRUSTED_PROXIES=127.0.0.1", "KAPU_SECRET=rush-bench-secret-0123456789abcdef",
		"KAPU_LANG=hu")
	migrate := exec.Command(bin, "migrate")
	migrate.Env = env
	if out, err := migrate.CombinedOutput(); err != nil {
		b.Fatalf("migrate: %v\n%s", err, out)
	}
	d, err := db.Open(dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	srv := &rushServer{base: "http://" + addr}
	srv.typeID, srv.office = rushSetup(b, d)
	srv.cmd = exec.Command(bin, "serve")
	srv.cmd.Env = env
	srv.cmd.Stdout, srv.cmd.Stderr = io.Discard, io.Discard
	if err := srv.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = srv.cmd.Process.Kill(); _, _ = srv.cmd.Process.Wait() }()
	srv.cpu = func() time.Duration { return processCPU(b, srv.cmd.Process.Pid) }
	srv.client = &http.Client{
		Transport:     &http.Transport{MaxIdleConns: rushCitizens + 10, MaxIdleConnsPerHost: rushCitizens + 10, IdleConnTimeout: time.Minute},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
	waitUp(b, srv)

	loc, _ := time.LoadLocation("Europe/Budapest")
	cal := calendar.New(d.R)
	day := calendar.Today(loc)
	var rates, p50s, p99s, winMax, formCPU, postCPU []float64
	b.ResetTimer()
	for round := 0; round < b.N; round++ {
		if day, err = cal.NextWorkday(context.Background(), day.AddDays(1)); err != nil {
			b.Fatal(err)
		}
		r := srv.rush(b, d, loc, day, round)
		rates, p50s, p99s, winMax = append(rates, r.rate), append(p50s, r.p50), append(p99s, r.p99), append(winMax, r.winMax)
		formCPU, postCPU = append(formCPU, r.formCPU), append(postCPU, r.postCPU)
	}
	b.StopTimer()
	b.ReportMetric(median(rates), "attempts/s")
	b.ReportMetric(median(p50s), "p50-ms")
	b.ReportMetric(median(p99s), "p99-ms")
	b.ReportMetric(median(winMax), "slowest-winner-ms")
	b.ReportMetric(median(formCPU), "form-cpu-ms/req")
	b.ReportMetric(median(postCPU), "post-cpu-ms/req")
}

// rushSetup writes the office of the rush: rushDesks desks open 08:00–13:00
// on every weekday, and a case type of 15 minutes bookable from now on for
// a year, one at a time per email address.
func rushSetup(b testing.TB, d *db.DB) (typeID, officeID uint) {
	t := appointments.CaseType{NameHU: "Rohamteszt", NameEN: "Rush", Minutes: 15, HorizonDays: 365, MaxPerEmail: 1,
		HoldMinutes: 60, Active: true, Online: true}
	o := appointments.Office{Name: "Rohamiroda", Address: "Fő tér 1.", Active: true}
	if err := d.W.Create(&t).Error; err != nil {
		b.Fatal(err)
	}
	if err := d.W.Create(&o).Error; err != nil {
		b.Fatal(err)
	}
	for i := 0; i < rushDesks; i++ {
		desk := appointments.Desk{OfficeID: o.ID, Name: fmt.Sprintf("%d. ablak", i+1), Active: true}
		if err := d.W.Create(&desk).Error; err != nil {
			b.Fatal(err)
		}
		if err := d.W.Create(&appointments.DeskCaseType{DeskID: desk.ID, CaseTypeID: t.ID}).Error; err != nil {
			b.Fatal(err)
		}
		for wd := time.Monday; wd <= time.Friday; wd++ {
			if err := d.W.Create(&appointments.DeskHours{DeskID: desk.ID, Weekday: wd, From: 8 * 60, To: 13 * 60}).Error; err != nil {
				b.Fatal(err)
			}
		}
	}
	return t.ID, o.ID
}

// rushResult is one rush's figures.
type rushResult struct {
	rate, p50, p99, winMax, formCPU, postCPU float64
}

var formToken = regexp.MustCompile(`name="_form" value="([^"]+)"`)

// rush runs one rush on day: every citizen opens the form, then all post.
func (srv *rushServer) rush(b testing.TB, d *db.DB, loc *time.Location, day calendar.Date, round int) rushResult {
	type citizen struct {
		path, token, cookie string
	}
	citizens := make([]citizen, rushCitizens)
	cpu0 := srv.cpu()
	var wg sync.WaitGroup
	var failed atomic.Int64
	for i := range citizens {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			m := 8*60 + (i%(rushSlots/rushDesks))*15 // every time is wanted by 50
			c := &citizens[i]
			c.path = fmt.Sprintf("/appointments/t/%d/o/%d/d/%s/at/%02d%02d", srv.typeID, srv.office, day, m/60, m%60)
			req, _ := http.NewRequest(http.MethodGet, srv.base+c.path, nil)
			req.Header.Set("X-Forwarded-For", citizenIP(round, i))
			res, err := srv.client.Do(req)
			if err != nil {
				failed.Add(1)
				return
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			tok := formToken.FindSubmatch(body)
			for _, ck := range res.Cookies() {
				if ck.Name == "kapu_csrf" {
					c.cookie = ck.Name + "=" + ck.Value
				}
			}
			if res.StatusCode != http.StatusOK || tok == nil || c.cookie == "" {
				failed.Add(1)
				return
			}
			c.token = string(tok[1])
		}(i)
	}
	wg.Wait()
	cpu1 := srv.cpu()
	if failed.Load() > 0 {
		b.Fatalf("%d of %d form pages failed", failed.Load(), rushCitizens)
	}
	time.Sleep(2100 * time.Millisecond) // past the form's minimum fill time

	took := make([]time.Duration, rushCitizens)
	wonAt := make([]bool, rushCitizens)
	var won, taken, other atomic.Int64
	start := make(chan struct{})
	var begin time.Time // set before start closes
	for i := range citizens {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := citizens[i]
			form := url.Values{"_form": {c.token}, "name": {"Kiss Anna"}, "email": {fmt.Sprintf("r%d.c%d@example.hu", round, i)},
				"privacy": {"yes"}}
			req, _ := http.NewRequest(http.MethodPost, srv.base+c.path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", citizenIP(round, i))
			req.Header.Set("Cookie", c.cookie)
			<-start
			time.Sleep(time.Until(begin.Add(time.Duration(i) * time.Second / rushRate)))
			t0 := time.Now()
			res, err := srv.client.Do(req)
			if err != nil {
				other.Add(1)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			took[i] = time.Since(t0)
			switch res.StatusCode {
			case http.StatusSeeOther:
				won.Add(1)
				wonAt[i] = true
			case http.StatusConflict:
				taken.Add(1)
			default:
				other.Add(1)
			}
		}(i)
	}
	begin = time.Now()
	close(start)
	wg.Wait()
	wall := time.Since(begin)
	cpu2 := srv.cpu()
	var rows int64
	d.R.Model(&appointments.Appointment{}).Where("start_at >= ? AND start_at < ?", day.Start(loc), day.AddDays(1).Start(loc)).Count(&rows)
	if won.Load() != rushSlots || taken.Load() != rushCitizens-rushSlots || other.Load() != 0 || rows != rushSlots {
		b.Fatalf("won %d, just taken %d, other %d, rows %d; want %d, %d, 0, %d",
			won.Load(), taken.Load(), other.Load(), rows, rushSlots, rushCitizens-rushSlots, rushSlots)
	}
	var winners []time.Duration
	for i, t := range took {
		if wonAt[i] {
			winners = append(winners, t)
		}
	}
	sort.Slice(winners, func(i, j int) bool { return winners[i] < winners[j] })
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	ms := func(t time.Duration) float64 { return float64(t.Microseconds()) / 1000 }
	return rushResult{
		rate:    float64(rushCitizens) / wall.Seconds(),
		p50:     ms(took[len(took)/2]),
		p99:     ms(took[len(took)*99/100]),
		winMax:  ms(winners[len(winners)-1]),
		formCPU: ms(cpu1-cpu0) / rushCitizens,
		postCPU: ms(cpu2-cpu1) / rushCitizens,
	}
}

// citizenIP is citizen i's own address in round r, so the per-address rate
// limit sees a thousand people, as it would.
func citizenIP(r, i int) string { return fmt.Sprintf("10.%d.%d.%d", r%250, i/250, i%250+1) }

// processCPU is process pid's user+system CPU time so far.
func processCPU(b testing.TB, pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// The fields after the command's ")": state is the 1st, utime the 12th, stime the 13th.
	f := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ is 100 on Linux
}

func freeAddr(b *testing.B) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitUp(b *testing.B, srv *rushServer) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if res, err := srv.client.Get(srv.base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.Fatal("the server did not come up")
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}
