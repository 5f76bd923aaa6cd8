// Command kapu runs the city hall's intranet and citizen desk.
//
//	kapu serve [--demo]     start the web server (migrates first; --demo seeds an empty database)
//	kapu migrate            bring the database schema up to date
//	kapu seed --demo        load the demo city hall into an empty database
//	kapu seed --demo --reset  empty a demo database and load the demo again
//	kapu user create ...    add a person who can sign in
//	kapu user passwd NAME   set a person's password (read from standard input; signs them out everywhere)
//	kapu mail test ADDRESS  send a test email through KAPU_SMTP_*
//	kapu version            print the version
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"kapu/config"
	"kapu/modules/kapu"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/people"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kapu:", err)
		os.Exit(1)
	}
}

const usage = `usage: kapu <command>

  serve [--demo]                 start the web server
  migrate                        bring the database schema up to date
  seed --demo [--reset]          load demo data into an empty database
                                 (--reset: empty a demo database first)
  user create --username U --name N --email E [--roles r1,r2]   (password from stdin)
  user passwd USERNAME           set a password (read from stdin)
  mail test ADDRESS              send a test email through the configured server
  version                        print the version`

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	cmd, rest := args[0], args[1:]
	if cmd == "version" {
		fmt.Fprintln(stdout, "kapu", config.Version)
		return nil
	}
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		fmt.Fprintln(stdout, usage)
		return nil
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx := context.Background()

	switch cmd {
	case "serve":
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		demo := fs.Bool("demo", false, "seed demo data when the database is empty")
		if err := fs.Parse(rest); err != nil {
			return err
		}
		return serve(ctx, cfg, log, *demo, stdout)
	case "migrate":
		app, err := open(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer app.Close()
		fmt.Fprintln(stdout, "database is up to date")
		return nil
	case "seed":
		fs := flag.NewFlagSet("seed", flag.ContinueOnError)
		demo := fs.Bool("demo", false, "load the demo city hall")
		reset := fs.Bool("reset", false, "empty a demo database and load the demo again")
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if !*demo {
			return errors.New("seed: say what to seed: kapu seed --demo")
		}
		app, err := open(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer app.Close()
		if *reset {
			if err := app.ResetDemo(ctx); err != nil {
				return fmt.Errorf("seed --reset: %w", err)
			}
			fmt.Fprintln(stdout, "demo database emptied and loaded again")
			printDemoLogins(stdout)
			return nil
		}
		done, err := app.SeedDemo(ctx)
		if err != nil {
			return err
		}
		if !done {
			fmt.Fprintln(stdout, "the database already has people; demo data not loaded")
			return nil
		}
		fmt.Fprintln(stdout, "demo data loaded")
		printDemoLogins(stdout)
		return nil
	case "user":
		return userCommand(ctx, cfg, log, rest, stdin, stdout)
	case "mail":
		if len(rest) != 2 || rest[0] != "test" {
			return errors.New("mail: use 'kapu mail test you@example.org'")
		}
		app, err := open(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer app.Close()
		if err := app.Outbox.SendTest(ctx, rest[1]); err != nil {
			return fmt.Errorf("mail test: %w", err)
		}
		fmt.Fprintf(stdout, "test message sent to %s through %s:%d\n", rest[1], cfg.SMTPHost, cfg.SMTPPort)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

// open builds the app and migrates the database.
func open(ctx context.Context, cfg *config.Config, log *slog.Logger) (*kapu.App, error) {
	if err := cfg.EnsureSecret(); err != nil {
		return nil, err
	}
	app, err := kapu.Open(cfg, log)
	if err != nil {
		return nil, err
	}
	if err := app.Migrate(ctx); err != nil {
		app.Close()
		return nil, err
	}
	return app, nil
}

func serve(ctx context.Context, cfg *config.Config, log *slog.Logger, demo bool, stdout io.Writer) error {
	app, err := open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer app.Close()
	if demo {
		if _, err := app.SeedDemo(ctx); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- app.Web.App.Listen(cfg.Addr) }()
	app.Jobs.Start()
	// Dates that passed while Kapu was stopped are applied now, beside the
	// listener; each failure is logged and recorded as the job's run.
	go func() { _ = app.Jobs.CatchUp(ctx) }()

	fmt.Fprintf(stdout, "\nKapu %s is running at %s\n", config.Version, cfg.BaseURL)
	if app.Web.Demo() {
		printDemoLogins(stdout)
	}
	fmt.Fprintln(stdout, "Press Ctrl+C to stop.")

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	return app.Web.App.ShutdownWithTimeout(10 * time.Second)
}

// roleHelp says what each demo login shows, as the README's table does.
var roleHelp = map[string]string{
	actor.Admin:       "administrator: people, departments, calendar, audit log, jobs",
	actor.HR:          "HR: people, leave balances, CSV import and export; the training catalogue, rosters, compliance",
	actor.Manager:     "a department head (Hatósági Osztály): approves the team's leave and training",
	actor.Employee:    "a clerk in that department: leave, bookings, supplies, training",
	actor.Fleet:       "the pool-car administrator",
	actor.IT:          "head of the IT group",
	actor.Facilities:  "head of the facilities group",
	actor.Storekeeper: "the warehouse keeper",
	actor.Frontdesk:   "a front-desk clerk",
}

// printDemoLogins lists each demo login once, with its role.
func printDemoLogins(w io.Writer) {
	fmt.Fprintf(w, "Demo logins (password %q for every account):\n", people.DemoPassword)
	for _, a := range people.DemoAccounts {
		fmt.Fprintf(w, "  %-12s %s\n", a.Username, roleHelp[a.Role])
	}
}

func userCommand(ctx context.Context, cfg *config.Config, log *slog.Logger, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("user: use 'kapu user create' or 'kapu user passwd USERNAME'")
	}
	cli := actor.Actor{Name: "kapu " + args[0], Roles: []string{actor.Admin}, Channel: actor.ChannelCLI}
	switch args[0] {
	case "create":
		fs := flag.NewFlagSet("user create", flag.ContinueOnError)
		username := fs.String("username", "", "sign-in name")
		name := fs.String("name", "", "full name")
		email := fs.String("email", "", "email address")
		roles := fs.String("roles", "employee", "comma-separated roles: "+strings.Join(actor.Roles, ","))
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		app, pw, err := openWithPassword(ctx, cfg, log, stdin, stdout)
		if err != nil {
			return err
		}
		defer app.Close()
		p, err := app.People.CreatePersonWithPassword(ctx, cli, people.PersonInput{
			Username: *username, Name: *name, Email: *email, Active: true,
			Roles: strings.Split(*roles, ","),
		}, pw)
		if err != nil {
			return describe(app, err)
		}
		fmt.Fprintf(stdout, "created %s (%s)\n", p.Username, strings.Join(p.RoleNames(), ", "))
		return nil
	case "passwd":
		if len(args) != 2 {
			return errors.New("user passwd: give exactly one USERNAME")
		}
		app, pw, err := openWithPassword(ctx, cfg, log, stdin, stdout)
		if err != nil {
			return err
		}
		defer app.Close()
		p, err := app.People.ByUsername(ctx, args[1])
		if err != nil {
			return fmt.Errorf("user passwd: no person with username %q", args[1])
		}
		if err := app.People.SetPassword(ctx, cli, p.ID, pw); err != nil {
			return describe(app, err)
		}
		fmt.Fprintf(stdout, "password of %s changed; their sessions ended\n", p.Username)
		return nil
	}
	return fmt.Errorf("user: unknown command %q", args[0])
}

// openWithPassword reads a password (one line of standard input) and then opens the app.
func openWithPassword(ctx context.Context, cfg *config.Config, log *slog.Logger, stdin io.Reader, stdout io.Writer) (*kapu.App, string, error) {
	fmt.Fprint(stdout, "password: ")
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return nil, "", errors.New("no password given on standard input")
	}
	fmt.Fprintln(stdout)
	app, err := open(ctx, cfg, log)
	return app, strings.TrimRight(line, "\r\n"), err
}

// describe explains a service's field error on the command line.
func describe(app *kapu.App, err error) error {
	var list people.FieldErrors
	var one *people.FieldError
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = people.FieldErrors{one}
	default:
		return err
	}
	msgs := make([]string, len(list))
	for i, fe := range list {
		msgs[i] = fe.Field + ": " + app.Web.Catalog.T("en", fe.Key)
	}
	return errors.New(strings.Join(msgs, "; "))
}
