package cli

import (
	"fmt"
	"io"
	"math"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
)

func runAlign(c *ctx, args []string) error {
	fs := c.flagSet("align", "[--week 2026-W46] [--json]", "Compare a week of the calendar with what the tiers allocate: hours per partner\nand per tier, the alignment score, over- and under-served partners, and the\nmeetings no partner matched. Default: last week.")
	weekFlag := fs.String("week", "", "the ISO `week`, like 2026-W46 (default: last week)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	c.safeOutput()
	if err := wantArgs(fs, pos, 0, "no arguments"); err != nil {
		return err
	}
	var week model.Week
	if *weekFlag != "" {
		if week, err = model.ParseWeek(*weekFlag); err != nil {
			return usagef("align: --week: %v", err)
		}
	}
	cfg, st, err := c.open()
	if err != nil {
		return err
	}
	zone := cfg.Calendar.Zone
	if *weekFlag == "" {
		week = model.LastWeek(c.now(), zone)
	}
	partners, err := st.Partners()
	if err != nil {
		return err
	}
	wh, meetings, err := store.CountWeek(st, cfg.Calendar, week, func() ([]model.Partner, error) { return partners, nil })
	if err != nil {
		return err
	}
	a := model.Align(cfg.Program, partners, wh.Hours)
	if *asJSON {
		return writeJSON(c.env.Stdout, alignJSON(week, a, wh, zone))
	}
	writeAlign(c.env.Stdout, cfg.Program, week, a, wh, zone, meetings)
	return nil
}

type alignDoc struct {
	Week      string           `json:"week"`
	Score     float64          `json:"score"`
	Tiers     []alignTier      `json:"tiers"`
	Partners  []alignPartner   `json:"partners"`
	Unmatched []alignUnmatched `json:"unmatched"`
}

type alignTier struct {
	Tier           string  `json:"tier"`
	Partners       int     `json:"partners"`
	AllocatedHours float64 `json:"allocated_hours"`
	ActualHours    float64 `json:"actual_hours"`
	PlannedShare   float64 `json:"planned_share"`
	ActualShare    float64 `json:"actual_share"`
}

type alignPartner struct {
	ID             string  `json:"id"`
	Name           string  `json:"name"`
	Tier           string  `json:"tier"`
	AllocatedHours float64 `json:"allocated_hours"`
	Hours          float64 `json:"hours"`
}

type alignUnmatched struct {
	Summary string  `json:"summary"`
	Start   string  `json:"start"`
	Hours   float64 `json:"hours"`
}

// round2 keeps JSON hours readable: 1.33, not 1.3333333333333333.
func round2(v float64) float64 { return math.Round(v*100) / 100 }

func alignJSON(week model.Week, a model.Alignment, wh model.WeekHours, zone *time.Location) alignDoc {
	doc := alignDoc{Week: week.String(), Score: round2(a.Score), Tiers: []alignTier{}, Partners: []alignPartner{}, Unmatched: []alignUnmatched{}}
	for _, t := range a.Tiers {
		doc.Tiers = append(doc.Tiers, alignTier{t.Tier, t.Partners, round2(t.Allocated), round2(t.Actual), round2(t.PlannedShare), round2(t.ActualShare)})
	}
	for _, p := range a.Partners {
		doc.Partners = append(doc.Partners, alignPartner{p.ID, p.Name, p.Tier, round2(p.Allocated), round2(p.Hours)})
	}
	for _, u := range wh.Unmatched {
		doc.Unmatched = append(doc.Unmatched, alignUnmatched{u.Meeting.Summary, u.Meeting.Start.In(zone).Format(time.RFC3339), round2(u.Hours)})
	}
	return doc
}

func writeAlign(w io.Writer, p *model.Program, week model.Week, a model.Alignment, wh model.WeekHours, zone *time.Location, meetings int) {
	start := week.Start(zone)
	fmt.Fprintf(w, "Week %s (%s to %s, %s) · %s\n", week, start.Format("2 Jan"), week.End(zone).AddDate(0, 0, -1).Format("2 Jan 2006"), zone, model.Plural(meetings, "meeting", "meetings"))
	if !a.HasHours {
		fmt.Fprintln(w, "No partner time on the calendar this week: import it with `partnertiers import calendar FILE`.")
	} else {
		fmt.Fprintf(w, "Alignment %.0f of 100: %s of partner time against what the tiers plan.\n", a.Score, hoursText(a.Total))
	}
	fmt.Fprintf(w, "\n  %-12s %8s %10s %8s %8s %8s\n", "tier", "partners", "allocated", "actual", "planned", "actual")
	for _, t := range a.Tiers {
		fmt.Fprintf(w, "  %-12s %8d %10s %8s %7.0f%% %7.0f%%\n", p.TierName(t.Tier), t.Partners, model.FormatHours(t.Allocated)+"h", model.FormatHours(t.Actual)+"h", 100*t.PlannedShare, 100*t.ActualShare)
	}
	list := func(title string, ps []model.PartnerHours) {
		if len(ps) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s\n", title)
		for i, ph := range ps {
			if i == 10 {
				fmt.Fprintf(w, "  … and %d more\n", len(ps)-10)
				break
			}
			fmt.Fprintf(w, "  %-30s %-10s %5.1fh of %sh\n", truncate(store.CleanText(ph.Name), 30), p.TierName(ph.Tier), ph.Hours, model.FormatHours(ph.Allocated))
		}
	}
	list("Over-served (well above their allocation)", a.Over)
	list("Under-served (top tier, under half their allocation)", a.Under)
	if len(a.Managers) > 0 {
		fmt.Fprintf(w, "\nTeam capacity (what the tiers promise each manager's partners; this calendar's time with them)\n")
		for _, m := range a.Managers {
			fmt.Fprintf(w, "  %-20s promised %5.1fh of %5.1fh capacity; with their partners %5.1fh\n", truncate(store.CleanText(m.Name), 20), m.Promised, m.Capacity, m.Actual)
		}
	}
	if len(wh.Unmatched) > 0 {
		fmt.Fprintf(w, "\nNo partner matched (%d) — assign them in the app's Calendar tab\n", len(wh.Unmatched))
		for i, u := range wh.Unmatched {
			if i == 15 {
				fmt.Fprintf(w, "  … and %d more\n", len(wh.Unmatched)-15)
				break
			}
			fmt.Fprintf(w, "  %s  %4.1fh  %s\n", u.Meeting.Start.In(zone).Format("Mon 15:04"), u.Hours, truncate(store.CleanText(u.Meeting.Summary), 50))
		}
	}
}

func hoursText(h float64) string { return model.FormatHours(math.Round(h*10)/10) + " h" }
