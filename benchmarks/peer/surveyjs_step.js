// The survey-core side of the engine benchmark (see benchmarks/engine.py).
//
//   node surveyjs_step.js JOB.json [MAX_STEPS]
//
// JOB.json holds {survey, answers, phase_of}, written by benchmarks/surveyjs.py from
// the same synthetic bank the Python engine runs. One step = set the answer of the
// current question, let survey-core re-run its conditions, find the next visible
// unanswered question, and read the score. The score is kept incrementally through
// survey-core's own events (onValueChanged, onQuestionVisibleChanged), which is the
// cheapest fair way to read "sum of the chosen options' points over the visible
// questions" after every answer. With MAX_STEPS (> 0) it stops after that many answers,
// since at 5,000 questions one step costs survey-core over 0.1 s. Prints one JSON line.
"use strict";

const fs = require("fs");
const Survey = require("survey-core");

Survey.Serializer.addProperty("itemvalue", "score:number");

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1) + 0.5));
  return sorted[idx];
}

// One run on a new Model: answer up to maxSteps questions (0: all), timing each step.
function play(job, maxSteps) {
  const t0 = process.hrtime.bigint();
  const survey = new Survey.Model(job.survey);
  const questions = survey.getAllQuestions(false);
  // value -> points, per scored question; built once, part of loading.
  const points = new Map();
  for (const q of questions) {
    if (!q.choices) continue;
    const m = new Map();
    let scored = false;
    for (const c of q.choices) {
      if (typeof c.score === "number") scored = true;
      m.set(c.value, typeof c.score === "number" ? c.score : 0);
    }
    if (scored) points.set(q.name, { multi: q.getType() === "checkbox", map: m });
  }
  const contrib = new Map();
  const totals = {};
  for (const phase of new Set(Object.values(job.phase_of))) totals[phase] = 0;
  function pointsOf(q) {
    const p = points.get(q.name);
    if (p === undefined) return null;
    const v = survey.getValue(q.name);
    if (v === undefined || v === null || !q.isVisible) return null;
    if (p.multi) {
      let s = 0;
      for (const x of v) s += p.map.get(x) || 0;
      return s;
    }
    return p.map.get(v) || 0;
  }
  function refresh(q) {
    if (!points.has(q.name)) return;
    const before = contrib.get(q.name);
    const after = pointsOf(q);
    if (before === after) return;
    const phase = job.phase_of[q.name];
    if (before !== undefined && before !== null) totals[phase] -= before;
    if (after !== null) totals[phase] += after;
    contrib.set(q.name, after);
  }
  survey.onValueChanged.add((_, opt) => opt.question && refresh(opt.question));
  survey.onQuestionVisibleChanged.add((_, opt) => refresh(opt.question));
  const loadNs = Number(process.hrtime.bigint() - t0);

  const n = questions.length;
  const answered = (q) => survey.getValue(q.name) !== undefined;
  let i = 0;
  while (i < n && !questions[i].isVisible) i++;
  const steps = [];
  let score = 0;
  while (i < n && (maxSteps <= 0 || steps.length < maxSteps)) {
    const q = questions[i];
    const value = job.answers[q.name];
    const t = process.hrtime.bigint();
    survey.setValue(q.name, value);
    let j = i + 1;
    while (j < n && (!questions[j].isVisible || answered(questions[j]))) j++;
    score = 0;
    for (const k in totals) score += totals[k];
    steps.push(Number(process.hrtime.bigint() - t));
    i = j;
  }
  // Check the incremental score against a recount from scratch.
  let recount = 0;
  for (const q of questions) {
    const p = pointsOf(q);
    if (p !== null) recount += p;
  }
  const sorted = [...steps].sort((a, b) => a - b);
  const mean = steps.reduce((a, b) => a + b, 0) / Math.max(1, steps.length);
  return {
    engine: "survey-core " + (Survey.Version || Survey.version || "?"),
    node: process.version,
    questions: n,
    load_s: loadNs / 1e9,
    steps: steps.length,
    step_median_s: percentile(sorted, 0.5) / 1e9,
    step_mean_s: mean / 1e9,
    step_p90_s: percentile(sorted, 0.9) / 1e9,
    step_max_s: sorted[sorted.length - 1] / 1e9,
    visible: questions.filter((q) => q.isVisible).length,
    answered: questions.filter(answered).length,
    score: Math.round(score * 1e6) / 1e6,
    score_recount: Math.round(recount * 1e6) / 1e6,
  };
}

function main() {
  const job = JSON.parse(fs.readFileSync(process.argv[2], "utf-8"));
  const maxSteps = Number(process.argv[3] || 0);
  // Warm V8's JIT first on a throw-away Model: the whole questionnaire when it is
  // small; 20 answers when it is large, as each answer then already evaluates
  // every condition thousands of times.
  play(job, maxSteps > 0 ? Math.min(maxSteps, 20) : 0);
  process.stdout.write(JSON.stringify(play(job, maxSteps)) + "\n");
}

main();
