package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
	"github.com/partnertiers/partnertiers/store/config"
)

// badgeWidth is the cells of a severity badge: " ERROR ".
const badgeWidth = 7

// healthScreen is the Health tab: the program's health checks, worst
// first, each with what it found and the fix. They run in a command when
// the snapshot loads (again after a finalize) and when the tab is shown.
type healthScreen struct {
	c     *common
	store ReviewStore
	cal   CalendarSource // last week's alignment; nil skips it
	calc  config.Calendar
	prog  *model.Program
	now   func() time.Time
	data  *dataset

	width, height int
	findings      []model.Finding
	reviewErr     error // the reviews could not be read: checked without them
	loaded        bool
	at            time.Time
	seq           int

	lines  []string // the findings drawn at the current width
	offset int
}

type (
	toHealth  struct{}
	healthMsg struct {
		toHealth
		seq       int
		findings  []model.Finding
		reviewErr error
		at        time.Time
	}
)

func (toHealth) addressedTo(s screen) bool { _, ok := s.(*healthScreen); return ok }

func newHealthScreen(c *common, opts Options) *healthScreen {
	return &healthScreen{c: c, store: opts.Reviews, cal: opts.Calendar, calc: opts.CalendarConfig, prog: opts.Program, now: opts.Now}
}

func (h *healthScreen) Title() string { return "Health" }

func (h *healthScreen) SetData(d *dataset) { h.data = d }

func (h *healthScreen) SetSize(w, ht int) {
	h.width, h.height = w, ht
	h.build()
}

func (h *healthScreen) Capturing() bool     { return false }
func (h *healthScreen) Cursor() *tea.Cursor { return nil }

// Load runs the checks when the snapshot (re)loads.
func (h *healthScreen) Load() tea.Cmd { return h.checkCmd() }

func (h *healthScreen) LoadFailed() bool { return h.reviewErr != nil }

// Enter runs them again when the tab is shown: a decision may have
// changed the overrides.
func (h *healthScreen) Enter() tea.Cmd { return h.checkCmd() }

// checkCmd reads the reviews and runs every check.
func (h *healthScreen) checkCmd() tea.Cmd {
	if h.data == nil || h.prog == nil {
		return nil
	}
	h.seq++
	seq, st, p, d, now, cal, calc := h.seq, h.store, h.prog, h.data, h.now, h.cal, h.calc
	return func() tea.Msg {
		in := model.HealthInput{Program: p, Now: now()}
		msg := healthMsg{seq: seq, at: in.Now}
		if d.snap != nil {
			in.Partners = d.snap.Partners
			for _, hs := range d.snap.History {
				in.History = append(in.History, hs...)
			}
		}
		if st != nil {
			// Each review's header and decided proposals: what the checks
			// look at, without every proposal.
			infos, err := st.ReviewInfos(p)
			if err != nil {
				msg.reviewErr = err
			}
			for _, info := range infos {
				in.Reviews = append(in.Reviews, info.Review)
			}
		}
		// Last week's calendar, counted the way the Calendar tab counts it.
		if cal != nil && calc.Zone != nil {
			in.Week = model.LastWeek(in.Now, calc.Zone)
			if wh, n, err := store.CountWeek(cal, calc, in.Week, func() ([]model.Partner, error) { return in.Partners, nil }); err == nil && n > 0 {
				a := model.Align(p, in.Partners, wh.Hours)
				in.Alignment = &a
			}
		}
		msg.findings = model.Health(in)
		return msg
	}
}

func (h *healthScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case healthMsg:
		if msg.seq != h.seq {
			return h, nil // a newer check is on its way
		}
		h.findings, h.reviewErr, h.at, h.loaded = msg.findings, msg.reviewErr, msg.at, true
		h.build()
	case tea.KeyPressMsg:
		if n, ok := navDelta(h.c.keys, msg, h.bodyHeight()-1, len(h.lines)); ok {
			h.scroll(n)
		}
	case tea.MouseWheelMsg:
		h.scroll(wheelDelta(msg))
	}
	return h, nil
}

func (h *healthScreen) bodyHeight() int { return max(1, h.height-2) }

func (h *healthScreen) scroll(n int) {
	h.offset = min(max(h.offset+n, 0), max(0, len(h.lines)-h.bodyHeight()))
}

// build draws the findings at the current width, once per result and
// per resize.
func (h *healthScreen) build() {
	st, w := h.c.styles, max(20, h.width)
	indent := badgeWidth + 1
	var lines []string
	if h.reviewErr != nil {
		lines = append(lines, wrapText(st.Error.Render, "Could not read the reviews, checked without them: "+clean(h.reviewErr.Error()), w, 0)...)
		lines = append(lines, "")
	}
	for i, f := range h.findings {
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, h.badge(f.Severity)+" "+st.Title.Render(clip(clean(f.Title), w-indent)))
		lines = append(lines, wrapText(st.Sentence.Render, capitalize(clean(f.Detail))+".", w, indent)...)
		if f.Fix != "" {
			fix := wrapText(st.Sentence.Render, "Fix: "+clean(f.Fix)+".", w, indent)
			lines = append(lines, fix...)
		}
	}
	h.lines = lines
	h.scroll(0)
}

func (h *healthScreen) badge(s model.Severity) string {
	st := h.c.styles
	switch s {
	case model.Error:
		return st.BadgeError.Render(fit(" ERROR", badgeWidth))
	case model.Warning:
		return st.BadgeWarn.Render(fit(" WARN", badgeWidth))
	}
	return st.BadgeOK.Render(fit(" OK", badgeWidth))
}

// View renders exactly height lines: the counts, then the findings.
func (h *healthScreen) View() string {
	st, w := h.c.styles, h.width
	if !h.loaded {
		return fitBlock(st.Loading.Render("Running the health checks…"), w, h.height)
	}
	count := map[model.Severity]int{}
	for _, f := range h.findings {
		count[f.Severity]++
	}
	var parts []string
	if n := count[model.Error]; n > 0 {
		parts = append(parts, st.Error.Render(plural(n, "error")))
	}
	if n := count[model.Warning]; n > 0 {
		parts = append(parts, st.Upward.Render(plural(n, "warning")))
	}
	parts = append(parts, st.Accepted.Render(fmt.Sprintf("%d ok", count[model.OK])))
	left := st.Title.Render("Health") + st.Muted.Render(" · ") + strings.Join(parts, st.Muted.Render(" · "))
	right := st.Muted.Render("checked " + h.at.Format("2006-01-02 15:04"))
	if hint := st.Muted.Render(" · worst first, each with its fix"); ansi.StringWidth(left+hint+right)+2 <= w {
		left += hint
	}
	out := []string{spread(left, right, w), ""}
	body := h.bodyHeight()
	end := min(len(h.lines), h.offset+body)
	out = append(out, h.lines[h.offset:end]...)
	if end < len(h.lines) && len(out) > 2 {
		out[len(out)-1] = st.Muted.Render(fitRight("↓ more below · j, pgdn", w))
	}
	return fitBlock(strings.Join(out, "\n"), w, h.height)
}

func (h *healthScreen) ShortHelp() []key.Binding {
	k := h.c.keys
	if len(h.lines) > h.bodyHeight() {
		return []key.Binding{k.Down, k.Up, k.PageDown}
	}
	return nil
}

func (h *healthScreen) FullHelp() [][]key.Binding {
	k := h.c.keys
	return [][]key.Binding{{k.Down, k.Up, k.PageDown, k.PageUp}, {k.Top, k.Bottom}}
}
