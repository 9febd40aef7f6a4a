// Analytics: hits per tracker over time and by speaker (api.md "Analytics across conversations"), drawn with
// Chart.js (served from its WebJar) and given as tables too, for screen readers and exact figures.
import {backHere} from './nav.js';
import {call, isMissingRoute, problemText} from './api.js';
import {h, fill, field, byName, download, toast} from './dom.js';
import {RANKED_ROWS, showTheOtherRows} from './pagedlist.js';

// the series' colours are app.css's (--chart-1 to --chart-8), read when a chart is drawn: the dark scheme has its own
const COLOURS = ['--chart-1', '--chart-2', '--chart-3', '--chart-4', '--chart-5', '--chart-6', '--chart-7', '--chart-8'];
// lines with equal figures lie on each other: each series also has its own dash and point shape
const DASHES = [[], [8, 4], [2, 3], [12, 4, 2, 4], [4, 4], [16, 6], [2, 6], [8, 3, 2, 3, 2, 3]];
const POINTS = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot', 'cross', 'rectRounded'];
// as many lines as there are styles: a ninth would repeat the first's colour, dash and shape
const CHARTED = COLOURS.length;
// names of trackers without hits said in the line itself; more are behind a disclosure, as 485 names made a block of
// text 3,000 px long at 1280 px (9,000 px at 390 px)
const SILENT_NAMES = 20;
const PERIODS = ['7', '30', '90', '365'];
// the API's topPhrases count one phrase per hit, the one that matched best: the words said, when said literally
// (analytics.md)
const PHRASES = 'Top phrases';
const INTERVALS = ['day', 'week', 'month'];
// the last choice, for an address without one (the menu's link); an address with one wins, so a reload keeps it
const state = {days: 30, interval: 'day'};
let charts = [];

/** The value of one of app.css's colour variables ("--chart-1"), as the page's scheme has it now. */
function colour(variable) {
  return getComputedStyle(document.documentElement).getPropertyValue(variable).trim();
}

/**
 * The charts' colours from app.css: the text and grid lines of every chart (Chart.js' own defaults are for a light
 * page), and each series' colour; again when the user's scheme turns light or dark, as a canvas is drawn, not styled.
 */
function paint(Chart) {
  Chart.defaults.color = colour('--chart-ink');
  Chart.defaults.borderColor = colour('--chart-grid');
  for (const chart of charts) {
    chart.data.datasets.forEach(dataset => {
      dataset.backgroundColor = colour(dataset.colour);
      if (dataset.borderColor) dataset.borderColor = dataset.backgroundColor;
    });
    chart.update('none');
  }
}
window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
  if (window.Chart && charts.length) paint(window.Chart);
});

function loadChartJs() {
  if (window.Chart) return Promise.resolve(window.Chart);
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/webjars/chart.js/dist/chart.umd.min.js';
    script.onload = () => resolve(window.Chart);
    script.onerror = () => reject(new Error('The chart library could not be loaded.'));
    document.head.append(script);
  });
}

// the intervals each period is offered with: a week or a month of 7 days is one or two whole weeks (the service counts
// whole weeks from Monday and whole months), two points for a week the user did not ask for; 30 days in months is two
const OFFERED = {7: ['day'], 30: ['day', 'week'], 90: INTERVALS, 365: INTERVALS};
const DAY_LABELS = {7: 'Last 7 days', 30: 'Last 30 days', 90: 'Last 90 days', 365: 'Last 12 months'};

/**
 * The period as it is counted: per day the days asked for; per week or month the whole weeks (from Monday) or months
 * the service widens them to ("Last 14 weeks" for 90 days), so that the control never names a period other than the
 * one the figures are of (until 2026-11-28 "Last 7 days" per week counted two weeks under that name).
 */
export function periodLabel(days, interval, now = new Date()) {
  if (interval === 'day') return DAY_LABELS[days];
  const {from, to} = lastDays(days, now);
  const first = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  if (interval === 'week') {
    const monday = date => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - (date.getUTCDay() + 6) % 7);
    const endMonday = end.getUTCDay() === 1 ? end.getTime() : monday(end) + 7 * 86_400_000;
    return `Last ${Math.round((endMonday - monday(first)) / (7 * 86_400_000))} weeks`;
  }
  const months = (end.getUTCFullYear() - first.getUTCFullYear()) * 12 + end.getUTCMonth() - first.getUTCMonth()
    + (end.getUTCDate() === 1 ? 0 : 1);
  return `Last ${months} months`;
}

export async function render(page, query = new URLSearchParams()) {
  if (PERIODS.includes(query.get('days'))) state.days = Number(query.get('days'));
  if (INTERVALS.includes(query.get('interval'))) state.interval = query.get('interval');
  const range = field('Period', h('select', {testid: 'analytics-range'},
    PERIODS.map(days => h('option', {value: days}, DAY_LABELS[days]))));
  const interval = field('Per', h('select', {testid: 'analytics-interval'},
    INTERVALS.map(unit => h('option', {value: unit}, unit))));
  // what the controls offer and say follows the choice: an interval the period is not offered with goes back to day
  const sync = () => {
    if (!OFFERED[state.days].includes(state.interval)) state.interval = 'day';
    for (const option of range.input.options) {
      const days = Number(option.value);
      // a period chosen goes per day when it is not offered per week or month: it says so
      option.textContent = periodLabel(days, OFFERED[days].includes(state.interval) ? state.interval : 'day');
    }
    for (const option of interval.input.options) option.disabled = !OFFERED[state.days].includes(option.value);
    range.input.value = String(state.days);
    interval.input.value = state.interval;
  };
  sync();
  const output = h('div', {testid: 'analytics-result', 'aria-live': 'polite'}, h('p', {class: 'loading'}, 'Loading analytics…'));
  const remember = () => {
    // in the address (without a new history entry or a new render), so a reload or a shared link keeps the period
    history.replaceState(history.state, '', `#/analytics?days=${state.days}&interval=${state.interval}`);
  };
  const reload = () => {
    state.days = Number(range.input.value);
    state.interval = interval.input.value;
    sync();
    remember();
    load(output);
  };
  range.input.addEventListener('change', reload);
  interval.input.addEventListener('change', reload);
  remember();
  // the figures of the period chosen, every tracker and bucket, for a spreadsheet
  const csv = h('button', {type: 'button', class: 'toolbar-end', testid: 'analytics-csv', onclick: () => downloadCsv(csv)},
    'Download CSV');
  fill(page, h('h1', {}, 'Analytics'),
    h('div', {class: 'toolbar'}, range.row, interval.row, csv), output);
  await load(output);
}

/** The last `days` UTC days up to today's, as the dates the analytics API takes ({from, to}, to exclusive). */
export function lastDays(days, now) {
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  const day = time => new Date(time).toISOString().slice(0, 10);
  return {from: day(end - days * 86_400_000), to: day(end)};
}

/** "21 Nov 2026" for the UTC day starting at `time` (ms). */
function utcDay(time) {
  return new Date(time).toLocaleDateString(undefined, {timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric'});
}

/** The days an answer covers, first and last, as a sentence: "Counted: 16 Nov 2026 to 29 Nov 2026 (…)". */
export function countedRange(answer) {
  const from = Date.parse(answer.from);
  const last = Date.parse(answer.to) - 86_400_000;
  const unit = {week: 'whole weeks from Monday, ', month: 'whole months, '}[answer.interval] ?? '';
  return `Counted: ${utcDay(from)} to ${utcDay(last)} (${unit}UTC days; a conversation counts on the day it started).`;
}

/** The tracker's conversation count, a link to those conversations (the same filter the figure counts). */
function conversationsLink(tracker, answer) {
  if (!tracker.conversations) return '0';
  const query = new URLSearchParams({trackerId: tracker.id, from: answer.from, to: answer.to, tracker: tracker.name,
    ...backHere(location.hash, 'Analytics')});
  return h('a', {href: `#/conversations?${query}`, class: 'figure-link', testid: 'analytics-conversations',
    'aria-label': `${tracker.conversations} conversations in which ${tracker.name} hit`}, String(tracker.conversations));
}

// the most characters of a tracker's name beside its bar; the table has it whole
const BAR_LABEL = 20;

// the most characters of a tracker's name in the legend of the chart over time
const LEGEND_LABEL = 32;

/**
 * A name as a chart shows it, at most `most` characters: a long one is cut in its middle, keeping its start and its
 * last words, where the trackers of one account differ ("Refund request North America enterprise renewals 16" and
 * "… 116"): cut at the end, 450 such names gave charts of lines and bars named alike (the table has them whole).
 */
function shortName(name, most = LEGEND_LABEL) {
  if (name.length <= most) return name;
  const room = most - 1; // the "…"
  // the last words, as many as fit in two fifths of the room; a last word longer than that is cut at its start
  const endRoom = Math.floor(room * 2 / 5);
  const words = name.split(' ');
  let end = '';
  for (let i = words.length - 1; i > 0 && words.slice(i).join(' ').length <= endRoom; i--) end = words.slice(i).join(' ');
  if (end) return `${name.slice(0, room - end.length - 1).trimEnd()}… ${end}`;
  return `${name.slice(0, room - endRoom).trimEnd()}…${name.slice(-endRoom)}`;
}

/** A cell that names its column, for the stacked rows of a narrow screen (app.css .stack). */
function cell(label, content, className) {
  return h('td', {class: className, dataset: {label}}, content);
}

let loading = 0;

/** Saves the period's figures as the service writes them in CSV, under the name it gives the file. */
async function downloadCsv(button) {
  const {from, to} = lastDays(state.days, new Date());
  button.disabled = true;
  try {
    const response = await call('GET', `/v1/analytics/trackers?from=${from}&to=${to}&interval=${state.interval}`,
      undefined, {accept: 'text/csv'});
    if (!response.ok) {
      if (response.status !== 401) toast(`The CSV could not be made: ${problemText(response)}`);
      return;
    }
    const named = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '');
    download(named?.[1] ?? `tracker-analytics-${from}-to-${to}-${state.interval}.csv`, response.body, 'text/csv');
  } finally {
    button.disabled = false;
  }
}

async function load(output) {
  // a later choice of period overtakes an answer still on its way
  const token = ++loading;
  charts.forEach(chart => chart.destroy());
  charts = [];
  // "Last 7 days" is today and the 6 UTC days before it, as whole days: an instant 7 × 24 hours ago was rounded
  // down to its day's start by the service, so the page counted 8 days under that label
  const {from, to} = lastDays(state.days, new Date());
  const response = await call('GET', `/v1/analytics/trackers?from=${from}&to=${to}&interval=${state.interval}`);
  if (token !== loading) return;
  if (!response.ok) {
    if (response.status === 401) return;
    fill(output, h('p', {class: isMissingRoute(response) ? 'hint' : 'problem', testid: 'analytics-unavailable'},
      isMissingRoute(response) ? 'This server has no analytics yet.' : problemText(response)));
    return;
  }
  const all = response.body.trackers ?? [];
  // what was counted, as the service widened it to whole weeks or months: a week of "Last 7 days" per week is
  // usually two ISO weeks, and the figures are theirs
  const counted = h('p', {class: 'hint', testid: 'analytics-counted'}, countedRange(response.body));
  if (all.every(t => t.hits === 0)) {
    fill(output, counted, h('p', {class: 'empty', testid: 'analytics-empty'}, 'No hits in this period.'));
    return;
  }
  // an account of 40 trackers: a row or a line for each tracker without hits would bury the few with them (and 40
  // lines share 8 styles, so they could not be told apart); the table has every tracker with hits, most first, the
  // charts the CHARTED with most, and the others are named in one sentence
  const trackers = all.filter(t => t.hits > 0).sort((a, b) => b.hits - a.hits || byName(a, b));
  const charted = trackers.slice(0, CHARTED);
  const silent = all.filter(t => t.hits === 0).sort(byName).map(t => t.name);
  let tbody; // the table's rows, hidden after the busiest by showTheOtherRows as the table is drawn
  const overTime = h('canvas', {role: 'img', 'aria-label': 'Hits per tracker over time; the table below has the figures'});
  const bySpeaker = h('canvas', {role: 'img', 'aria-label': 'Hits per tracker by speaker; the table below has the figures'});
  fill(output, counted,
    h('div', {class: 'columns wide-first'},
      h('section', {class: 'card chart'}, h('h2', {}, 'Hits over time'), h('div', {class: 'chart-box'}, overTime)),
      h('section', {class: 'card chart'}, h('h2', {}, 'Hits by speaker'), h('div', {class: 'chart-box'}, bySpeaker))),
    trackers.length > charted.length ? h('p', {class: 'hint', testid: 'analytics-charted'},
      `The charts show the ${charted.length} trackers with the most hits; the table has ${trackers.length > RANKED_ROWS
        ? `the ${RANKED_ROWS} with the most of the ${trackers.length} with hits, and all of them on request` : `all ${trackers.length} with hits`}.`) : null,
    h('section', {class: 'card'}, h('h2', {}, 'Per tracker'),
      h('table', {class: 'data stack', testid: 'analytics-table'},
        h('thead', {}, h('tr', {}, ['Tracker', 'Hits', 'Conversations', 'Agent', 'Customer', 'Unknown', PHRASES]
          .map(label => h('th', {scope: 'col', class: label === 'Tracker' || label === PHRASES ? null : 'number'}, label)))),
        tbody = h('tbody', {}, trackers.map(t => h('tr', {testid: 'analytics-row'},
          cell('Tracker', t.name, 'title'), cell('Hits', String(t.hits), 'number'), cell('Conversations', conversationsLink(t, response.body), 'number'),
          cell('Agent', String(t.bySpeaker?.agent ?? 0), 'number'), cell('Customer', String(t.bySpeaker?.customer ?? 0), 'number'),
          cell('Unknown', String(t.bySpeaker?.unknown ?? 0), 'number'),
          cell(PHRASES, (t.topPhrases ?? []).slice(0, 3).map(p => `${p.value} (${p.hits})`).join(', '), 'phrases'))))),
      // the busiest RANKED_ROWS first; the others on request
      showTheOtherRows(tbody, `Show all ${trackers.length} trackers with hits`, 'analytics-show-all'),
      silent.length > SILENT_NAMES ? h('details', {class: 'no-hits', testid: 'analytics-no-hits'},
        h('summary', {}, h('strong', {}, `No hits in this period: ${silent.length} trackers`), ' (their names)'),
        h('p', {}, silent.join(', ')))
        : silent.length ? h('p', {class: 'no-hits', testid: 'analytics-no-hits'},
          h('strong', {}, `No hits in this period (${silent.length}): `), silent.join(', ')) : null,
      // "Unknown" beside Agent and Customer read as an error of the service (until 2026-11-29): it is what a transcript left unsaid
      trackers.some(t => (t.bySpeaker?.unknown ?? 0) > 0) ? h('p', {class: 'hint', testid: 'analytics-unknown-hint'},
        'Unknown: hits in messages whose speaker is not known to be the agent or the customer. Name the speakers Agent '
        + 'and Customer in a transcript (or send their role) to have them counted by speaker.') : null,
      h('p', {class: 'hint', testid: 'analytics-phrases-hint'}, `${PHRASES}: each hit counts the phrase that matched it `
        + 'best: the words said, when they were said as written, else the phrase closest in meaning. What was said is on '
        + 'each conversation’s page.')));
  let Chart;
  try {
    Chart = await loadChartJs();
  } catch (error) {
    output.prepend(h('p', {class: 'problem'}, error.message));
    return;
  }
  if (token !== loading || !output.isConnected) return;
  const labels = [...new Set(charted.flatMap(t => (t.series ?? []).map(point => point.start)))].sort();
  paint(Chart);
  const dateLabel = iso => new Date(iso).toLocaleDateString(undefined, {month: 'short', day: 'numeric', year: state.interval === 'month' ? 'numeric' : undefined});
  charts.push(new Chart(overTime, {
    type: 'line',
    data: {
      labels: labels.map(dateLabel),
      datasets: charted.map((t, i) => {
        const byStart = new Map((t.series ?? []).map(point => [point.start, point.hits]));
        const shade = COLOURS[i % COLOURS.length];
        return {label: shortName(t.name), data: labels.map(start => byStart.get(start) ?? 0), colour: shade,
          borderColor: colour(shade), backgroundColor: colour(shade), tension: 0.2, borderWidth: 2, borderDash: DASHES[i % DASHES.length],
          pointStyle: POINTS[i % POINTS.length], pointRadius: 3, pointHoverRadius: 5};
      }),
    },
    options: {responsive: true, maintainAspectRatio: false, animation: false, scales: {y: {beginAtZero: true, ticks: {precision: 0}}},
      // the legend shows each series' point shape, so equal lines stay told apart; each of the same size
      plugins: {legend: {labels: {usePointStyle: true, generateLabels: chart => evenMarkers(Chart, chart)}}}},
  }));
  // bars across, each tracker's name on its left: names under upright bars were slanted, and at 390 px their slant
  // took the plot's height (about 110 px of 280 were left for the bars)
  charts.push(new Chart(bySpeaker, {
    type: 'bar',
    data: {
      labels: charted.map(t => t.name),
      datasets: [['agent', 'Agent', COLOURS[0]], ['customer', 'Customer', COLOURS[1]], ['unknown', 'Unknown', '--chart-unknown']]
        .map(([key, label, shade]) => ({label, data: charted.map(t => t.bySpeaker?.[key] ?? 0), colour: shade,
          backgroundColor: colour(shade)})),
    },
    options: {indexAxis: 'y', responsive: true, maintainAspectRatio: false, animation: false,
      scales: {x: {stacked: true, beginAtZero: true, ticks: {precision: 0}},
        y: {stacked: true, ticks: {autoSkip: false, callback(value) {
          const name = this.getLabelForValue(value);
          return shortName(name, BAR_LABEL);
        }}}},
      // the whole name where the pointer or a tap is
      plugins: {tooltip: {callbacks: {title: items => items[0]?.label}}}},
  }));
}

/**
 * The legend's items with their markers of one size: Chart.js draws a circle's radius as large as a square's half
 * diagonal, so the first series' circle had over half as much area again as the others' squares and diamonds (and
 * read as the most important). The circle is drawn instead, in a canvas of its own, as large as the square.
 */
function evenMarkers(Chart, chart) {
  const items = Chart.defaults.plugins.legend.labels.generateLabels(chart);
  const size = chart.options.plugins.legend.labels.boxHeight ?? Chart.helpers.toFont(chart.options.plugins.legend.labels.font).size;
  for (const item of items) {
    if (item.pointStyle !== 'circle') continue;
    const marker = document.createElement('canvas');
    const side = Math.ceil(size) + 4;
    marker.width = side;
    marker.height = side;
    const context = marker.getContext('2d');
    context.fillStyle = item.fillStyle;
    context.strokeStyle = item.strokeStyle;
    context.lineWidth = item.lineWidth ?? 1;
    context.beginPath();
    // of the square's area (size × size), as a circle: radius size / √π
    context.arc(side / 2, side / 2, size / Math.sqrt(Math.PI), 0, 2 * Math.PI);
    context.fill();
    context.stroke();
    item.pointStyle = marker;
  }
  return items;
}
