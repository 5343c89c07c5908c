package cli

import (
	"fmt"
	"strings"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
	"github.com/partnertiers/partnertiers/store/config"
)

func runCheck(c *ctx, args []string) error {
	fs := c.flagSet("check", "[--json]", "Run the program's health checks, worst first, each with its fix.\nExits 1 when any check is an error.")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	c.safeOutput()
	if err := wantArgs(fs, pos, 0, "no arguments"); err != nil {
		return err
	}
	cfg, st, err := c.open()
	if err != nil {
		return err
	}
	findings, err := healthOf(c, cfg, st)
	if err != nil {
		return err
	}
	if *asJSON {
		type findingJSON struct {
			Check    string `json:"check"`
			Severity string `json:"severity"`
			Title    string `json:"title"`
			Detail   string `json:"detail"`
			Fix      string `json:"fix,omitempty"`
		}
		out := make([]findingJSON, len(findings))
		for i, f := range findings {
			out[i] = findingJSON{f.Check, f.Severity.String(), f.Title, f.Detail, f.Fix}
		}
		if err := writeJSON(c.env.Stdout, out); err != nil {
			return err
		}
	} else {
		for _, f := range findings {
			fmt.Fprintf(c.env.Stdout, "%-7s  %s\n         %s\n", strings.ToUpper(f.Severity.String()), f.Title, f.Detail)
			if f.Fix != "" {
				fmt.Fprintf(c.env.Stdout, "         fix: %s\n", f.Fix)
			}
		}
	}
	if model.Worst(findings) == model.Error {
		return errFailed
	}
	return nil
}

// healthOf gathers what the checks need from the store.
func healthOf(c *ctx, cfg *config.Config, st *store.Store) ([]model.Finding, error) {
	p := cfg.Program
	partners, err := st.Partners()
	if err != nil {
		return nil, err
	}
	history, err := st.AllHistory()
	if err != nil {
		return nil, err
	}
	// Each review's header with its decided proposals: what the checks
	// look at, without every proposal.
	infos, err := st.ReviewInfos(p)
	if err != nil {
		return nil, err
	}
	reviews := make([]*model.Review, len(infos))
	for i, in := range infos {
		reviews[i] = in.Review
	}
	in := model.HealthInput{Program: p, Partners: partners, History: history, Reviews: reviews, Now: c.now()}
	// Last week's calendar, when the store has one.
	in.Week = model.LastWeek(c.now(), cfg.Calendar.Zone)
	wh, meetings, err := store.CountWeek(st, cfg.Calendar, in.Week, func() ([]model.Partner, error) { return partners, nil })
	if err != nil {
		return nil, err
	}
	if meetings > 0 {
		a := model.Align(p, partners, wh.Hours)
		in.Alignment = &a
	}
	return model.Health(in), nil
}
