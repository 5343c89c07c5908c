// Package cli is partnertiers' command line: subcommands, flags, and the
// text they print. main.go wires it to the process; tests drive it through
// Run or as a built binary.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
	"github.com/partnertiers/partnertiers/store/config"
	"github.com/partnertiers/partnertiers/store/safetext"
)

// Exit codes: 0 ok, 1 bad input or a failed check, 2 usage.
const (
	ExitOK    = 0
	ExitFail  = 1
	ExitUsage = 2
)

// Env is everything a command may touch of the outside world, so tests can
// run commands without a process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            func() time.Time
	// Example is config.example.toml: what `init` writes and `demo` runs on.
	Example []byte
	Version string
	// Interactive is true when stdout is a terminal.
	Interactive bool
	// HTTP fetches calendar addresses; nil means a client with a timeout.
	HTTP *http.Client
}

// usageError is a mistake in the command line itself: exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// failure is a command that ran and found a problem (a failed check):
// exit 1 without the "error:" prefix, its output already printed.
var errFailed = errors.New("failed")

type command struct {
	name    string
	args    string
	summary string
	run     func(c *ctx, args []string) error
}

func commands() []command {
	return []command{
		{"demo", "", "the app on a fresh temporary store holding the sample program", runDemo},
		{"init", "[--sample] [--size N]", "write the config from the example; create the store", runInit},
		{"import", "partners|production|calendar FILE [--shape rows|deals] [--period P] [--dry-run] [--skip-bad] [--create-partners]", "import a roster, production (rows or CRM deals) or a calendar (.ics, https URL, -)", runImport},
		{"show", "NAME [--json]", "the lookup card of a partner", runShow},
		{"review", "[--period P] [--json] | decide | undo | finalize | discard", "start, resume, decide and finalize a review", runReview},
		{"align", "[--week 2026-W46] [--json]", "last week's calendar against what the tiers allocate", runAlign},
		{"check", "[--json]", "health checks; exit 1 on errors", runCheck},
		{"export", "partners|production|history|review|scorecards --format csv|json|md [-o FILE]", "write data for other tools, or the partners' scorecards", runExport},
		{"backup", "FILE", "copy a consistent snapshot of the store", runBackup},
		{"restore", "FILE", "replace the store with a backup; the replaced one is kept beside it", runRestore},
	}
}

// Run executes one command line and returns the exit code.
func Run(args []string, env Env) int {
	c := &ctx{env: env, helps: map[*flag.FlagSet]func(){}}
	err := c.dispatch(args)
	var ue usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "partnertiers: %s\nRun 'partnertiers --help' for usage.\n", safetext.Print(ue.msg))
		return ExitUsage
	case errors.Is(err, errFailed):
		return ExitFail
	}
	// An error may quote a file's text (a cell, a path): clean it here,
	// the one place every failure is printed, keeping its line breaks.
	fmt.Fprintf(env.Stderr, "partnertiers: %s\n", safetext.Print(err.Error()))
	return ExitFail
}

// ctx carries the environment and the global flags through a command.
type ctx struct {
	env        Env
	storeFlag  string
	configFlag string
	helps      map[*flag.FlagSet]func() // each subcommand's --help text
}

func (c *ctx) dispatch(args []string) error {
	global := flag.NewFlagSet("partnertiers", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	version := global.Bool("version", false, "print the version")
	c.globalFlags(global)
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.usage(c.env.Stdout)
			return err
		}
		return usagef("%v", err)
	}
	if *version {
		fmt.Fprintf(c.env.Stdout, "partnertiers %s\n", c.env.Version)
		return nil
	}
	rest := global.Args()
	if len(rest) == 0 {
		return runApp(c, nil)
	}
	name := rest[0]
	if name == "help" {
		c.usage(c.env.Stdout)
		return nil
	}
	for _, cmd := range commands() {
		if cmd.name == name {
			return cmd.run(c, rest[1:])
		}
	}
	return usagef("unknown command %q", name)
}

func (c *ctx) globalFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.storeFlag, "store", c.storeFlag, "the store `file` (default $PARTNERTIERS_STORE or $XDG_DATA_HOME/partnertiers/partnertiers.db)")
	fs.StringVar(&c.configFlag, "config", c.configFlag, "the config `file` (default $PARTNERTIERS_CONFIG or $XDG_CONFIG_HOME/partnertiers/config.toml)")
}

func (c *ctx) usage(w io.Writer) {
	fmt.Fprintf(w, "partnertiers: partner tiers earned on production, and what they buy.\n\nUsage:\n")
	// The command on one line, what it does on the next: the arguments are
	// too long for columns.
	fmt.Fprintf(w, "  partnertiers\n      the app on the default store\n")
	for _, cmd := range commands() {
		fmt.Fprintf(w, "  %s\n      %s\n", strings.TrimSpace("partnertiers "+cmd.name+" "+cmd.args), cmd.summary)
	}
	fmt.Fprintf(w, "\nFlags for every command:\n  --store FILE    the store (or $PARTNERTIERS_STORE)\n  --config FILE   the config (or $PARTNERTIERS_CONFIG)\n  --help          help on a command\n  --version       print the version\n")
	fmt.Fprintf(w, "\nExit codes: 0 ok, 1 bad input or a failed check, 2 usage.\n")
}

// flagSet makes a subcommand's flag set with the global flags and a usage
// text that --help prints to stdout.
func (c *ctx) flagSet(name, args, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet("partnertiers "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.globalFlags(fs)
	// The flag package calls Usage on every parse error too; a mistyped
	// flag must not pour help into a file the output is redirected to, so
	// Usage is silent and parse prints the help only for --help.
	fs.Usage = func() {}
	c.helps[fs] = func() {
		fmt.Fprintf(c.env.Stdout, "Usage: partnertiers %s %s\n\n%s\n\nFlags:\n", name, args, summary)
		fs.SetOutput(c.env.Stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parse reads flags anywhere among the arguments ("show acme --json") and
// returns the positional ones.
func (c *ctx) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				c.helps[fs]()
				return nil, err
			}
			return nil, usagef("%s: %v", strings.TrimPrefix(fs.Name(), "partnertiers "), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// wantArgs checks the number of positional arguments.
func wantArgs(fs *flag.FlagSet, pos []string, n int, what string) error {
	if len(pos) != n {
		return usagef("%s: want %s", strings.TrimPrefix(fs.Name(), "partnertiers "), what)
	}
	return nil
}

func (c *ctx) getenv(k string) string {
	if c.env.Getenv == nil {
		return ""
	}
	return c.env.Getenv(k)
}

func (c *ctx) now() time.Time {
	if c.env.Now == nil {
		return time.Now()
	}
	return c.env.Now()
}

// storePath resolves --store, $PARTNERTIERS_STORE, then the XDG data folder.
func (c *ctx) storePath() string {
	if c.storeFlag != "" {
		return c.storeFlag
	}
	if p := c.getenv("PARTNERTIERS_STORE"); p != "" {
		return p
	}
	data := c.getenv("XDG_DATA_HOME")
	if data == "" {
		data = filepath.Join(c.home(), ".local", "share")
	}
	return filepath.Join(data, "partnertiers", "partnertiers.db")
}

func (c *ctx) configPath() string {
	if c.configFlag != "" {
		return c.configFlag
	}
	return config.DefaultPath(c.getenv)
}

func (c *ctx) home() string {
	if h := c.getenv("HOME"); h != "" {
		return h
	}
	h, _ := os.UserHomeDir()
	return h
}

func (c *ctx) loadConfig() (*config.Config, error) {
	path := c.configPath()
	cfg, err := config.Load(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no config at %s: run `partnertiers init`, or pass --config", path)
	}
	return cfg, err
}

func (c *ctx) storeOptions() store.Options {
	return store.Options{Timeout: time.Second, Now: c.now}
}

func (c *ctx) openStore() (*store.Store, error) {
	return store.Open(c.storePath(), c.storeOptions())
}

// open loads the config and opens the store, the start of most commands.
func (c *ctx) open() (*config.Config, *store.Store, error) {
	cfg, err := c.loadConfig()
	if err != nil {
		return nil, nil, err
	}
	st, err := c.openStore()
	if err != nil {
		return nil, nil, err
	}
	return cfg, st, nil
}

// reviewer is who decisions are recorded as made by.
func (c *ctx) reviewer() string {
	for _, k := range []string{"PARTNERTIERS_USER", "USER", "USERNAME"} {
		if v := strings.TrimSpace(c.getenv(k)); v != "" {
			return v
		}
	}
	// No name in the environment (a service, a bare tmux): the OS account.
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

// currentPeriod is the period evaluations are shown for.
func (c *ctx) currentPeriod(p *model.Program, withData []model.Period) model.Period {
	return model.CurrentPeriod(c.now(), p.Cadence, withData)
}
