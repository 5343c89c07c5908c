// Command partnertiers keeps a partner program honest: tiers earned on
// production, what each tier buys, partners moving down as well as up, and
// a review on a fixed cadence. See README.md and `partnertiers --help`.
package main

import (
	_ "embed"
	"os"
	"runtime/debug"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/partnertiers/partnertiers/ui/cli"
)

// exampleConfig is what `init` writes and what `demo` runs on.
//
//go:embed config.example.toml
var exampleConfig []byte

// version is set at build time with -ldflags "-X main.version=..."; a
// plain build reports the module version or the VCS revision.
var version = ""

func main() {
	os.Exit(cli.Run(os.Args[1:], cli.Env{
		Stdin:       os.Stdin,
		Stdout:      os.Stdout,
		Stderr:      os.Stderr,
		Getenv:      os.Getenv,
		Now:         time.Now,
		Example:     exampleConfig,
		Version:     buildVersion(),
		Interactive: term.IsTerminal(os.Stdout.Fd()) && term.IsTerminal(os.Stdin.Fd()),
	}))
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		if v := info.Main.Version; v != "" && v != "(devel)" {
			return v
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return "dev"
}
