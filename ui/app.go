// Package ui is partnertiers' terminal app: a root App composing one
// screen per tab (Partners, Review, Health, Calendar), with a header, a tab bar and a
// footer.
package ui

import (
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
	"github.com/partnertiers/partnertiers/store/config"
	"github.com/partnertiers/partnertiers/store/safetext"
)

// statusTimeout is how long a status message stays in the footer.
const statusTimeout = 5 * time.Second

// Options is what the app needs from its caller.
type Options struct {
	// Program is the tier chart: tiers, metrics, tracks.
	Program *model.Program
	// Load reads the store. It runs inside a tea.Cmd, never in Update.
	Load func() (*store.Snapshot, error)
	// Reload reads the store again, sharing with the snapshot on screen
	// what has not changed (store.SnapshotAfter), which it only reads; nil
	// uses Load. It runs inside a tea.Cmd.
	Reload func(prev *store.Snapshot) (*store.Snapshot, error)
	// Version reads which state the store is in, so that coming back to
	// the window does not read again a store nothing has changed (at 100k
	// partners a load holds a second copy of the program for a moment).
	// nil reads it again every time. It runs inside a tea.Cmd.
	Version func() (store.Version, error)
	// StorePath is shown in the header, shortened with ~.
	StorePath string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// NoColor renders plain text with no escape codes (NO_COLOR).
	NoColor bool
	// Reviews reads and writes review sessions; nil leaves the Review tab
	// empty. Its methods run inside tea.Cmds, never in Update.
	Reviews ReviewStore
	// Reviewer is who makes the decisions, recorded with each one ($USER).
	Reviewer string
	// Calendar reads the meetings and remembers assignments; nil leaves
	// the Calendar tab empty. Its methods run inside tea.Cmds.
	Calendar CalendarSource
	// CalendarConfig is whose calendar it is, in which zone, and the
	// team's own domains.
	CalendarConfig config.Calendar
}

// ReviewStore is what the Review and Health tabs need from the store;
// store.Brief satisfies it. Reviews come without their proposals'
// evidence and explanations (Proposal.Evaluation is nil, Explanation
// empty), which ReviewProposals reads for the few partners on screen: a
// review of 100k partners stays small in memory.
type ReviewStore interface {
	// StartOrResumeReview returns the review for period, starting it
	// (evaluating every active partner and freezing proposals) if none
	// exists; started reports which.
	StartOrResumeReview(p *model.Program, period model.Period, by string, at time.Time) (r *model.Review, started bool, err error)
	// ReviewProposals reads the proposals of partners in period's review
	// in full, explanation and evidence; partners it does not hold are
	// left out.
	ReviewProposals(period model.Period, partners ...string) (map[string]model.Proposal, error)
	// UpdateReview runs fn (e.g. r.Accept / r.Override / r.Undo on
	// partner) in one write transaction on the part of the review that
	// concerns partner, and saves the decision fn changed; if fn errs
	// nothing is saved. It returns partner's decision as stored (Pending
	// when there is none).
	UpdateReview(period model.Period, partner string, fn func(*model.Review) error) (model.Decision, error)
	// FinalizeReview applies every decision in one transaction (partners,
	// tier-since, history, status) and returns the review's header and
	// decisions, without its proposals: the app holds them. On undecided
	// moves it returns the review, proposals and all, and an error
	// wrapping model.ErrUndecided, writing nothing.
	FinalizeReview(p *model.Program, period model.Period, by string, at time.Time) (*model.Review, []model.History, error)
	// DiscardReview deletes an open review and its decisions; a finalized
	// one is refused with model.ErrFinalized.
	DiscardReview(period model.Period) error
	// ReviewInfos is every review's header, decisions and counts, in any
	// order, read without the proposals.
	ReviewInfos(p *model.Program) ([]store.ReviewInfo, error)
	// Review is the review of period; an error wrapping store.ErrNotFound
	// when there is none.
	Review(period model.Period) (*model.Review, error)
	// OpenReview is the open review; an error wrapping store.ErrNotFound
	// when there is none.
	OpenReview() (*model.Review, error)
}

// App is the root model: it owns the size, the styles, the global keys and
// the tabs, and is the only one to return a tea.View.
type App struct {
	opts   Options
	c      *common
	styles Styles
	keys   KeyMap

	header  header
	tabs    tabs
	footer  footer
	screens []screen
	active  int

	width, height int
	// tick makes timer commands: tea.Tick, replaced in tests so a timer
	// is told from a slow command by its type, not by waiting.
	tick         func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	statusSeq    int // the newest status shown (see common.statuses)
	loadGen      int // the newest snapshot load asked for
	landedGen    int // the newest load whose result (or failure) arrived
	footerHeight int

	loading bool
	// announceLoad says "reloaded" once the load asked by ctrl+r lands.
	announceLoad bool
	err          error
	data         *dataset
	statusGen    int
}

// New builds the app; the store is read when the program starts (Init).
func New(opts Options) *App {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	a := &App{opts: opts, keys: DefaultKeyMap(), loading: true, width: 80, height: 24, tick: tea.Tick}
	if opts.NoColor {
		a.styles = PlainStyles()
	} else {
		a.styles = NewStyles(true)
	}
	a.c = &common{styles: &a.styles, keys: &a.keys, noColor: opts.NoColor}
	a.header = header{c: a.c, store: shortenHome(opts.StorePath)}
	if opts.Program != nil {
		a.header.program = clean(opts.Program.Name)
	}
	a.screens = []screen{
		newPartnersScreen(a.c),
		newReviewScreen(a.c, opts),
		newHealthScreen(a.c, opts),
		newCalendarScreen(a.c, opts),
	}
	a.tabs = tabs{c: a.c}
	var digits []string
	for i, s := range a.screens {
		a.tabs.titles = append(a.tabs.titles, s.Title())
		digits = append(digits, strconv.Itoa(i+1))
	}
	// The digits are the tabs there are: help never offers a tab to come.
	a.keys.GoToTab.SetKeys(digits...)
	a.keys.GoToTab.SetHelp("1-"+strconv.Itoa(len(a.screens)), "go to tab")
	a.footer = newFooter(a.c)
	a.layout()
	return a
}

// Run starts the app on the terminal and returns when it quits.
func Run(opts Options) error {
	_, err := tea.NewProgram(New(opts)).Run()
	return err
}

// Init loads the snapshot and asks the terminal for its background.
func (a *App) Init() tea.Cmd {
	return tea.Batch(a.loadCmd(), tea.RequestBackgroundColor)
}

// loadCmd reads the store and precomputes every row, off the update loop.
func (a *App) loadCmd() tea.Cmd { return a.load(false) }

// loadIfChangedCmd is loadCmd unless the store is still the one on screen
// and the day the one it was shown on.
func (a *App) loadIfChangedCmd() tea.Cmd { return a.load(true) }

// movedCmd shows a finalized review's moves without reading the store:
// the snapshot on screen with the moves applied (store.Snapshot.WithMoves)
// and the rows worked out again. At 100k partners a read of the store
// beside the program on screen was the app's peak of memory. The new
// snapshot has no version, so the next focus reads the store whole.
//
// It reads the store instead when the rows on screen are not base, the
// ones the finalize was asked on (a load landed meanwhile, and may hold
// the moves already), when a load is under way (ctrl+r: its read may
// hold more than the moves), when a moved partner is not on screen, or
// when the clock moved past what the rows follow (dayOf).
func (a *App) movedCmd(moves []model.History, base *dataset) tea.Cmd {
	d, settled := a.data, a.landedGen == a.loadGen
	read := a.loadCmd()
	if d == nil || d.snap == nil || d != base || !settled {
		return read
	}
	gen, prog, now, zone := a.loadGen, a.opts.Program, a.opts.Now, a.calendarZone()
	return func() tea.Msg {
		at := now()
		if dayOf(at, zone) != d.day {
			return read()
		}
		// Hand the finalize's working memory back first: the rows are
		// then built beside the program on screen alone.
		debug.FreeOSMemory()
		snap, err := d.snap.WithMoves(moves)
		if err != nil {
			return read()
		}
		moved := buildDataset(prog, snap, at)
		moved.day = d.day
		// Last week's hours: the same week, and moves change no meeting.
		moved.hours, moved.hoursWeek, moved.attended, moved.zone = d.hours, d.hoursWeek, d.attended, d.zone
		return snapshotLoadedMsg{gen: gen, data: moved}
	}
}

// calendarZone is the calendar's zone, nil without a calendar.
func (a *App) calendarZone() *time.Location {
	if a.opts.Calendar == nil {
		return nil
	}
	return a.opts.CalendarConfig.Zone
}

func (a *App) load(ifChanged bool) tea.Cmd {
	a.loadGen++
	gen, load, prog, now, cal, calc, zone := a.loadGen, a.opts.Load, a.opts.Program, a.opts.Now, a.opts.Calendar, a.opts.CalendarConfig, a.calendarZone()
	var (
		held    store.Version
		heldDay string
		prev    *store.Snapshot
	)
	if a.data != nil && a.data.snap != nil {
		prev = a.data.snap
		if ifChanged {
			held, heldDay = prev.Version, a.data.day
		}
	}
	if reload := a.opts.Reload; reload != nil && prev != nil {
		load = func() (*store.Snapshot, error) { return reload(prev) }
	}
	version := a.opts.Version
	if !ifChanged {
		version = nil
	}
	return func() tea.Msg {
		// Unchanged: the same store, and the same day (the current period
		// and last week follow the clock).
		if version != nil && dayOf(now(), zone) == heldDay {
			if v, err := version(); err == nil && v.Same(held) {
				return snapshotLoadedMsg{gen: gen, unchanged: true}
			}
		}
		switch {
		case prog == nil:
			return snapshotLoadedMsg{gen: gen, err: errors.New("no program: the config was not loaded")}
		case len(prog.Tiers) == 0:
			return snapshotLoadedMsg{gen: gen, err: errors.New("the program has no tiers")}
		case load == nil:
			return snapshotLoadedMsg{gen: gen, err: errors.New("no store to load")}
		}
		snap, err := load()
		if err != nil {
			return snapshotLoadedMsg{gen: gen, err: err}
		}
		if snap == nil {
			snap = &store.Snapshot{}
		}
		at := now()
		d := buildDataset(prog, snap, at)
		d.day = dayOf(at, zone)
		msg := snapshotLoadedMsg{gen: gen, data: d}
		// Last week's hours for the Partners tab, when there is a calendar.
		if cal != nil && calc.Zone != nil {
			week := model.LastWeek(at, calc.Zone)
			wh, n, err := store.CountWeek(cal, calc, week, func() ([]model.Partner, error) { return snap.Partners, nil })
			switch {
			case err != nil:
				msg.calErr = err
			case n > 0:
				d.hours, d.hoursWeek, d.attended, d.zone = wh.Hours, week, wh.Attended, calc.Zone
			}
		}
		return msg
	}
}

func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := a.update(msg)
	if a.footer.help.ShowAll {
		if h := min(a.footer.height(a.helpKeys()), max(1, a.height-3)); h != a.footerHeight {
			a.layout()
		}
	}
	return a, cmd
}

func (a *App) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = max(1, msg.Width), max(1, msg.Height)
		a.layout()
		return nil
	case tea.BackgroundColorMsg:
		if !a.opts.NoColor {
			a.styles = NewStyles(msg.IsDark())
			a.layout()
		}
		return nil
	case snapshotLoadedMsg:
		if msg.gen != a.loadGen {
			return nil // a newer load is on its way
		}
		a.landedGen = msg.gen
		a.loading = false
		if msg.unchanged {
			// Nothing written since the store was read: only a tab whose
			// own read failed reads again.
			var retries []tea.Cmd
			for _, s := range a.screens {
				if l, ok := s.(loader); ok && l.LoadFailed() {
					retries = append(retries, l.Load())
				}
			}
			return tea.Sequence(retries...)
		}
		if msg.err != nil {
			if a.data == nil {
				a.err = msg.err // nothing to show yet: say why
				return nil
			}
			// A reload failed (the store busy for a moment, say): keep what
			// is on screen, say so, and keep it usable.
			a.announceLoad = false
			return a.c.errStatus("Could not reload the store: " + msg.err.Error())
		}
		a.err = nil
		reloaded := a.data != nil
		a.data = msg.data
		announce := a.announceLoad
		a.announceLoad = false
		a.header.period = msg.data.period.String()
		var loads []tea.Cmd
		if reloaded {
			// The program shown until now is garbage: hand it back to the
			// system before the tabs read the store, rather than hold it,
			// the new one and the pages they map all at once (at 100k
			// partners some 60 MB; one collection, off the loop).
			loads = append(loads, func() tea.Msg { debug.FreeOSMemory(); return nil })
		}
		for _, s := range a.screens {
			s.SetData(msg.data)
			if l, ok := s.(loader); ok {
				loads = append(loads, l.Load())
			}
		}
		// The screens read the store one after another: at 100k partners
		// two reads at once map the same pages twice and hold their
		// working memory together (the review tab and the health checks
		// both read the reviews).
		cmds := []tea.Cmd{tea.Sequence(loads...)}
		a.layout()
		if announce {
			cmds = append(cmds, a.c.status("Reloaded the store"))
		}
		if msg.calErr != nil {
			cmds = append(cmds, a.c.errStatus("Could not read last week's calendar: "+msg.calErr.Error()))
		}
		return tea.Batch(cmds...)
	case reloadMsg:
		return a.loadCmd()
	case movedMsg:
		return a.movedCmd(msg.moves, msg.base)
	case tea.FocusMsg:
		// Back from another window, where an import or a decision may
		// have changed the store: read it again. The load runs off the
		// loop, keeps the filter and the selection, and a newer load
		// drops an older one's result.
		if a.loading {
			return nil
		}
		return a.loadIfChangedCmd()
	case statusMsg:
		if msg.seq < a.statusSeq {
			return nil // an older status arriving after a newer one
		}
		a.statusSeq = msg.seq
		a.statusGen++
		a.footer.status, a.footer.isErr = clean(msg.text), msg.isErr
		gen := a.statusGen
		return a.tick(statusTimeout, func(time.Time) tea.Msg { return clearStatusMsg{gen: gen} })
	case clearStatusMsg:
		if msg.gen == a.statusGen {
			a.footer.status = ""
		}
		return nil
	case tea.KeyPressMsg:
		return a.handleKey(msg)
	case addressed:
		for i, s := range a.screens {
			if msg.addressedTo(s) {
				var cmd tea.Cmd
				a.screens[i], cmd = s.Update(msg)
				return cmd
			}
		}
		return nil
	}
	if a.data == nil {
		return nil
	}
	var cmd tea.Cmd
	a.screens[a.active], cmd = a.screens[a.active].Update(msg)
	return cmd
}

// handleKey checks the global keys first, unless an input has focus.
func (a *App) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := a.keys
	if key.Matches(msg, k.ForceQuit) {
		return tea.Quit
	}
	scr := a.screens[a.active]
	capturing := a.data != nil && scr.Capturing()
	if !capturing {
		switch {
		case key.Matches(msg, k.Quit):
			return tea.Quit
		case key.Matches(msg, k.Help):
			a.footer.help.ShowAll = !a.footer.help.ShowAll
			a.layout()
			return nil
		case key.Matches(msg, k.NextTab):
			return a.setTab(a.active + 1)
		case key.Matches(msg, k.PrevTab):
			return a.setTab(a.active - 1 + len(a.screens))
		case key.Matches(msg, k.GoToTab):
			return a.setTab(int(msg.String()[0] - '1'))
		case key.Matches(msg, k.Reload):
			a.announceLoad = true
			return a.loadCmd()
		}
	}
	if a.data == nil {
		return nil
	}
	var cmd tea.Cmd
	a.screens[a.active], cmd = scr.Update(msg)
	return cmd
}

// setTab shows tab i and returns what the screen reads on entering.
func (a *App) setTab(i int) tea.Cmd {
	i %= len(a.screens)
	changed := i != a.active
	a.active = i
	a.tabs.active = a.active
	a.layout()
	if e, ok := a.screens[i].(enterer); ok && changed && a.data != nil {
		return e.Enter()
	}
	return nil
}

// layout is the arithmetic of a size, done once per resize (and when the
// footer's height or the styles change): every screen gets its box.
func (a *App) layout() {
	a.header.width, a.tabs.width = a.width, a.width
	a.footer.setWidth(a.width)
	a.footerHeight = min(a.footer.height(a.helpKeys()), max(1, a.height-3))
	body := a.bodyHeight()
	for _, s := range a.screens {
		s.SetSize(a.width, body)
	}
}

func (a *App) bodyHeight() int { return max(1, a.height-2-a.footerHeight) }

// helpKeys is the active screen's keys with the global ones.
func (a *App) helpKeys() helpKeys {
	k := a.keys
	scr := a.screens[a.active]
	if a.data == nil {
		return helpKeys{short: []key.Binding{k.Quit}, full: [][]key.Binding{{k.Quit, k.ForceQuit}}}
	}
	global := []key.Binding{k.Help, k.Quit}
	if scr.Capturing() {
		global = []key.Binding{k.ForceQuit}
	}
	full := scr.FullHelp()
	globalFull := []key.Binding{k.Help, k.Quit, k.ForceQuit}
	if len(a.screens) > 1 {
		globalFull = append([]key.Binding{k.NextTab, k.PrevTab, k.GoToTab, k.Reload}, globalFull...)
	}
	if scr.Capturing() {
		globalFull = []key.Binding{k.ForceQuit}
	}
	return helpKeys{
		short: append(scr.ShortHelp(), global...),
		full:  append(full, globalFull),
	}
}

func (a *App) View() tea.View {
	st := a.c.styles
	w := a.width
	body := a.bodyHeight()
	var content string
	switch {
	case a.err != nil:
		msg := st.Error.Render("Could not load the store: ") + st.Sentence.Render(clean(a.err.Error()))
		if a.opts.StorePath != "" {
			msg += "\n" + st.Muted.Render("store: "+clean(a.header.store))
		}
		msg += "\n" + st.Muted.Render("ctrl+r tries again · q quits")
		content = wrapBlock(msg, w)
	case a.loading:
		content = st.Loading.Render("Loading…")
	default:
		content = a.screens[a.active].View()
	}
	parts := []string{
		a.header.view(),
		a.tabs.view(),
		fitBlock(content, w, body),
		fitBlock(a.footer.view(a.helpKeys()), w, a.footerHeight),
	}
	frame := strings.Join(parts, "\n")
	if a.height < 2+body+a.footerHeight { // too short for the header and tabs
		frame = fitBlock(frame, w, a.height)
	}
	// Every field from a file is cleaned where it is drawn; this is the
	// last guard, for any that was not: the frame keeps its SGR styling
	// and loses every other escape and control.
	v := tea.NewView(safetext.Screen(frame))
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.ReportFocus = true // coming back to the app reloads (see FocusMsg)
	if a.data != nil && a.err == nil {
		if c := a.screens[a.active].Cursor(); c != nil {
			c.Y += 2 // below the header and the tab bar
			v.Cursor = c
		}
	}
	return v
}

// wrapBlock wraps each line of a styled block to w cells.
func wrapBlock(s string, w int) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		out = append(out, splitLines(wrapStyled(l, w))...)
	}
	return strings.Join(out, "\n")
}

// shortenHome writes the home folder as ~.
func shortenHome(path string) string {
	path = clean(path)
	home, err := os.UserHomeDir()
	if err != nil || home == "" || path == "" {
		return path
	}
	if path == home {
		return "~"
	}
	if rel, ok := strings.CutPrefix(path, home+string(filepath.Separator)); ok {
		return "~" + string(filepath.Separator) + rel
	}
	return path
}
