package cli

import (
	"cmp"
	"errors"

	"github.com/partnertiers/partnertiers/store"
	"github.com/partnertiers/partnertiers/store/config"
	"github.com/partnertiers/partnertiers/ui"
)

// startApp runs the terminal app on a store. It refuses without a
// terminal rather than painting escape codes into a pipe.
// label names the store in the header; empty shows its path.
func startApp(c *ctx, cfg *config.Config, st *store.Store, label string) error {
	if !c.env.Interactive {
		return errors.New("the app needs a terminal; for scripts use `partnertiers show NAME`, `review --json` or `export`")
	}
	if c.getenv("GOMEMLIMIT") == "" {
		defer followLiveHeap(appMemoryFloor)()
	}
	return ui.Run(ui.Options{
		Program:        cfg.Program,
		Load:           st.Snapshot,
		Reload:         st.SnapshotAfter,
		Version:        st.Version,
		Reviews:        st.Brief(),
		Reviewer:       c.reviewer(),
		Calendar:       st,
		CalendarConfig: cfg.Calendar,
		StorePath:      cmp.Or(label, shortenHome(st.Path(), c.home())),
		Now:            c.now,
		NoColor:        c.getenv("NO_COLOR") != "",
	})
}

func shortenHome(path, home string) string {
	if home != "" && len(path) > len(home) && path[:len(home)] == home && path[len(home)] == '/' {
		return "~" + path[len(home):]
	}
	return path
}
