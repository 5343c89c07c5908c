// Package config reads partnertiers' TOML config: the program (metrics,
// tiers, tracks, managers) and the column names importers need. Unknown keys
// are errors, and every error about the file's content names the file, the
// line and the key (see Error). config.example.toml at the module root is
// the reference for the format.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/csvin"
)

// Defaults for options the file leaves out.
const (
	DefaultProgramName     = "Partner program"
	DefaultCadence         = model.Quarterly
	DefaultWindow          = 1
	DefaultGraceReviews    = 1
	DefaultTopTierMaxShare = 0.25
	DefaultMinAlignment    = 70.0
	DefaultPartnerColumn   = "partner"
	DefaultPeriodColumn    = "period"
)

// MaxWindow is the longest evaluation window, in periods, the config accepts.
const MaxWindow = 20

// MaxGraceReviews is the most consecutive misses the config lets a tier
// hold: a partner missing its tier for two years is not on grace.
const MaxGraceReviews = 8

// Config is a parsed, valid config file.
type Config struct {
	// Path is where the config came from: the path given to Load, or the
	// name given to Parse.
	Path string
	// Program is valid: Program.Validate passes and Tiers are sorted by
	// rank, entry tier first.
	Program    *model.Program
	Production ProductionColumns
	// Deals names the columns of a CRM deal export (import production
	// --shape deals); Salesforce's names by default.
	Deals    csvin.DealColumns
	Calendar Calendar
}

// Calendar says whose calendar is checked and in which zone.
type Calendar struct {
	// Zone is where weeks begin and end, and what floating times mean.
	Zone *time.Location
	// Owner is the calendar owner's email, lower case: meetings they
	// declined do not count. Empty counts every meeting.
	Owner string
	// Internal are the team's own email domains, lower case: meetings with
	// only these attendees are neither partner time nor unmatched.
	Internal []string
}

// ProductionColumns names the columns of the per-partner, per-period
// production CSV.
type ProductionColumns struct {
	Partner string // the partner id column; "partner" by default
	Period  string // the period column ("2026-Q3"); "period" by default
	// Metrics maps every metric key to its column; by default the metric
	// key itself.
	Metrics map[string]string
}

// Load reads and parses the config file at path. A missing file is an error
// that matches fs.ErrNotExist (`partnertiers init` writes one); errors about
// the content are *Error, named by path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("config %s does not exist (partnertiers init writes one): %w", path, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// Parse parses and validates a config file's content; name is how errors
// name the file. Every error it returns is an *Error with a line.
func Parse(name string, data []byte) (*Config, error) {
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		e := &Error{File: name, Line: 1, Msg: "invalid TOML: " + clean(err.Error())}
		var pe toml.ParseError
		if errors.As(err, &pe) {
			e.Msg = "invalid TOML: " + clean(pe.Message)
			if pe.Position.Line > 0 {
				e.Line = pe.Position.Line
			}
		}
		return nil, e
	}
	d := &doc{name: name, lines: scanLines(string(data))}
	var f fileConfig
	if !d.decode(nil, raw, reflect.ValueOf(&f).Elem()) {
		return nil, d.first()
	}
	return d.build(&f)
}

// doc is one file being parsed.
type doc struct {
	name  string
	lines lineIndex
	errs  []*Error
}

// first is the earliest of the collected errors in the file.
func (d *doc) first() *Error {
	return slices.MinFunc(d.errs, func(a, b *Error) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		if a.Key < b.Key {
			return -1
		}
		if a.Key > b.Key {
			return 1
		}
		return 0
	})
}

// DefaultPath is where the config lives: $PARTNERTIERS_CONFIG, else
// $XDG_CONFIG_HOME/partnertiers/config.toml, else
// ~/.config/partnertiers/config.toml. getenv is os.Getenv outside tests.
func DefaultPath(getenv func(string) string) string {
	if p := getenv("PARTNERTIERS_CONFIG"); p != "" {
		return p
	}
	// The XDG spec says to ignore a relative XDG_CONFIG_HOME.
	if dir := getenv("XDG_CONFIG_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "partnertiers", "config.toml")
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".config", "partnertiers", "config.toml")
}

// WriteExample writes example to path for `partnertiers init`, creating the
// folder (0700) as needed; the file is 0600. It never overwrites: when the
// file exists it writes nothing and returns false.
func WriteExample(path string, example []byte) (bool, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return false, fmt.Errorf("config: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			if fi, serr := os.Stat(path); serr == nil && fi.IsDir() {
				return false, fmt.Errorf("config: %s is a folder, not a file", path)
			}
			return false, nil
		}
		return false, fmt.Errorf("config: %w", err)
	}
	_, err = f.Write(example)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path) // the file is ours: we created it
		return false, fmt.Errorf("config: writing %s: %w", path, err)
	}
	return true, nil
}
