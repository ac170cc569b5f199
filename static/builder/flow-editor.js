// 流程设置: the draft's flow from lists — never typed JSON. Loads the draft through the API,
// edits only `flow`, and saves the whole draft back with the revision it loaded (a save against
// a newer draft is refused with 409 and shown, never written over).

import { h, field, select, numberInput } from "./flow-dom.js";
import { DraftSaver } from "./flow-saver.js";

const setup = JSON.parse(document.getElementById("flow-setup").textContent);
const root = document.getElementById("flow-editor");
const templates = Object.fromEntries(setup.templates.map((t) => [t.key, t]));
const topFields = setup.fields.filter((f) => f.top);
const unitOptions = [
  { value: "", label: "— 请选择单位 —" },
  ...setup.units.map((u) => ({ value: u.code, label: "　".repeat(u.indent) + u.name })),
];
let flow = {};
let problems = [];
let readOnly = false;

const saver = new DraftSaver(setup.key, {
  onLoaded(detail, editable) {
    flow = structuredClone(detail.draft.flow || {});
    readOnly = !editable;
    document.getElementById("flow-readonly").hidden = editable;
    problems = detail.problems || [];
    render();
  },
  onSaved(detail) {
    problems = detail.problems || [];
    markProblems();
  },
  current: () => flow,
});

function changed(rerender = false) {
  if (rerender) render();
  saver.schedule();
}

function templateCard() {
  const current = flow.template || "none";
  return h("section", { class: "card flow-card", id: "flow-template" }, [
    h("h2", {}, "流程"),
    h("div", { class: "choice-cards" }, setup.templates.map((t) =>
      h("label", { class: "choice-card" }, [
        h("input", {
          type: "radio", name: "template", value: t.key, checked: current === t.key,
          onchange: () => { flow.template = t.key; changed(true); },
        }),
        h("strong", {}, t.name),
      ]),
    )),
    h("p", { class: "problem", "data-pointer": "/flow/template" }),
  ]);
}

function valueLabel(f, value) {
  const c = (f.choices || []).find((x) => JSON.stringify(x.value) === JSON.stringify(value));
  return c ? c.label : String(value);
}

function openWhenCard() {
  const when = flow.open_when;
  const chosen = when && topFields.find((f) => f.path === when.field);
  const body = [
    h("label", { class: "inline-choice" }, [
      h("input", { type: "radio", name: "open", checked: !when,
        onchange: () => { delete flow.open_when; changed(true); } }),
      "每份上报都生成工单",
    ]),
    h("label", { class: "inline-choice" }, [
      h("input", { type: "radio", name: "open", checked: !!when, disabled: !topFields.length,
        onchange: () => {
          const f = topFields[0];
          flow.open_when = { field: f.path, equals: f.choices[0] ? f.choices[0].value : true };
          changed(true);
        } }),
      topFields.length ? "满足条件时才生成：" : "满足条件时才生成（表单里还没有可用作条件的选择题）",
    ]),
  ];
  if (when) {
    const values = "in" in when ? when.in : [when.equals];
    const row = h("div", { class: "rule-row" }, [
      "当",
      select(topFields.map((f) => ({ value: f.path, label: f.title })), when.field, (path) => {
        const f = topFields.find((x) => x.path === path);
        flow.open_when = { field: path, equals: f && f.choices[0] ? f.choices[0].value : true };
        changed(true);
      }, "open-field"),
      select([{ value: "equals", label: "等于" }, { value: "in", label: "是其中之一" }],
        "in" in when ? "in" : "equals", (op) => {
          flow.open_when = op === "in" ? { field: when.field, in: values } : { field: when.field, equals: values[0] };
          changed(true);
        }, "open-op"),
    ]);
    if (chosen && "in" in when) {
      row.append(h("span", { class: "checks" }, chosen.choices.map((c) =>
        h("label", {}, [
          h("input", { type: "checkbox", checked: values.some((v) => JSON.stringify(v) === JSON.stringify(c.value)),
            onchange: (e) => {
              const rest = when.in.filter((v) => JSON.stringify(v) !== JSON.stringify(c.value));
              when.in = e.target.checked ? [...rest, c.value] : rest;
              changed();
            } }),
          c.label,
        ]))));
    } else if (chosen) {
      row.append(select(chosen.choices.map((c, i) => ({ value: String(i), label: c.label })),
        String(Math.max(0, chosen.choices.findIndex((c) => JSON.stringify(c.value) === JSON.stringify(when.equals)))),
        (i) => { when.equals = chosen.choices[Number(i)].value; changed(); }, "open-value"));
    } else {
      row.append(h("span", { class: "problem-inline" }, `字段“${when.field}”已不在表单中`));
    }
    body.push(row);
  }
  body.push(h("p", { class: "problem", "data-pointer": "/flow/open_when" }));
  body.push(h("p", { class: "problem", "data-pointer": "/flow/open_when/field" }));
  return h("section", { class: "card flow-card", id: "flow-open" }, [h("h2", {}, "何时生成工单"), ...body]);
}

const RULE_KINDS = [
  { value: "place", label: "按位置：上报地点所在网格的街镇" },
  { value: "subject", label: "按答案：某一题的答案对应到单位" },
  { value: "unit", label: "固定单位" },
];

function ruleRow(rule, i, rules) {
  const at = `/flow/routing/${i}`;
  const move = (d) => { const [r] = rules.splice(i, 1); rules.splice(i + d, 0, r); changed(true); };
  const head = h("div", { class: "rule-head" }, [
    h("span", { class: "rule-number" }, `${i + 1}`),
    select(RULE_KINDS, rule.by, (by) => {
      rules[i] = by === "place" ? { by } : by === "unit" ? { by, unit: "" } :
        { by, field: setup.fields[0] ? setup.fields[0].path : "", map: {} };
      changed(true);
    }, `rule-${i}-by`),
    h("button", { type: "button", class: "icon-button", title: "上移", disabled: i === 0, onclick: () => move(-1) }, "↑"),
    h("button", { type: "button", class: "icon-button", title: "下移", disabled: i === rules.length - 1, onclick: () => move(1) }, "↓"),
    h("button", { type: "button", class: "icon-button danger", title: "删除这条规则",
      onclick: () => { rules.splice(i, 1); if (!rules.length) delete flow.routing; changed(true); } }, "×"),
  ]);
  const parts = [head];
  if (rule.by === "unit") {
    parts.push(field("派给", select(unitOptions, rule.unit || "", (code) => { rule.unit = code; changed(); }, `rule-${i}-unit`)));
    parts.push(h("p", { class: "problem", "data-pointer": `${at}/unit` }));
  } else if (rule.by === "subject") {
    const f = setup.fields.find((x) => x.path === rule.field);
    parts.push(field("按这一题", select(setup.fields.map((x) => ({ value: x.path, label: x.title + (x.top ? "" : "（重复组内）") })),
      rule.field, (path) => { rule.field = path; rule.map = {}; changed(true); }, `rule-${i}-field`)));
    if (f) {
      parts.push(h("table", { class: "map-table" }, [
        h("thead", {}, h("tr", {}, [h("th", {}, "答案"), h("th", {}, "派给")])),
        h("tbody", {}, f.choices.map((c) => {
          const answer = String(c.value);
          return h("tr", {}, [
            h("td", {}, c.label),
            h("td", {}, [
              select(unitOptions, (rule.map || {})[answer] || "", (code) => {
                rule.map = rule.map || {};
                if (code) rule.map[answer] = code; else delete rule.map[answer];
                changed();
              }, `rule-${i}-map-${answer}`),
              h("span", { class: "problem-inline", "data-pointer": `${at}/map/${answer}` }),
            ]),
          ]);
        })),
      ]));
    } else {
      parts.push(h("p", { class: "problem-inline" }, "表单里没有这一题"));
    }
    parts.push(h("p", { class: "problem", "data-pointer": `${at}/field` }));
    parts.push(h("p", { class: "problem", "data-pointer": `${at}/map` }));
  }
  return h("li", { class: "rule" }, parts);
}

function routingCard() {
  let rules = flow.routing || [];
  if (!Array.isArray(rules)) rules = flow.routing = [rules];
  return h("section", { class: "card flow-card", id: "flow-routing" }, [
    h("h2", {}, "派单规则"),
    h("p", { class: "muted small" }, "从上到下依次尝试，第一条能确定单位的规则生效；都不适用时派给上报人所在的街镇。"),
    h("ol", { class: "rules" }, rules.map((r, i) => ruleRow(r, i, rules))),
    h("button", { type: "button", class: "button", id: "add-rule",
      onclick: () => { flow.routing = [...rules, { by: "place" }]; changed(true); } }, "＋ 添加规则"),
    h("p", { class: "problem", "data-pointer": "/flow/routing" }),
  ]);
}

function effectiveLimit(state) {
  const own = (flow.time_limits || {})[state.state];
  if (own) return own;
  if (state.state === "dispatched" && flow.time_limit_hours) return { amount: flow.time_limit_hours, unit: "work_hour" };
  return null;
}

function limitsCard(template) {
  const unitLabel = (u) => (setup.limit_units.find((x) => x.value === u) || { label: u }).label;
  const rows = template.states.map((state) => {
    const own = effectiveLimit(state);
    const limit = own || state.default;
    const set = (next) => {
      flow.time_limits = { ...(flow.time_limits || {}), [state.state]: next };
      if (state.state === "dispatched") delete flow.time_limit_hours;
      changed(true);
    };
    return h("tr", { "data-state": state.state }, [
      h("th", {}, state.label),
      h("td", {}, [
        numberInput(limit.amount, (n) => set({ amount: n, unit: limit.unit }), `limit-${state.state}-amount`, 1, 9999),
        select(setup.limit_units, limit.unit, (u) => set({ amount: limit.amount, unit: u }), `limit-${state.state}-unit`),
        h("span", { class: "problem-inline", "data-pointer": `/flow/time_limits/${state.state}/amount` }),
      ]),
      h("td", { class: "muted small" }, [
        `默认 ${state.default.amount} ${unitLabel(state.default.unit)}`,
        own ? h("button", { type: "button", class: "link-like", onclick: () => {
          delete flow.time_limits[state.state];
          if (state.state === "dispatched") delete flow.time_limit_hours;
          if (!Object.keys(flow.time_limits).length) delete flow.time_limits;
          changed(true);
        } }, "恢复默认") : "",
      ]),
    ]);
  });
  return h("section", { class: "card flow-card", id: "flow-limits" }, [
    h("h2", {}, "各环节时限"),
    h("table", { class: "limits-table" }, h("tbody", {}, rows)),
    h("div", { class: "rule-row" }, [
      "紧急程度",
      select([{ value: "normal", label: "普通（按工作时间计）" }, { value: "urgent", label: "紧急（按自然时间计，不扣节假日）" }],
        flow.priority || "normal", (p) => { if (p === "normal") delete flow.priority; else flow.priority = p; changed(); }, "priority"),
    ]),
    h("p", { class: "problem", "data-pointer": "/flow/priority" }),
  ]);
}

function duplicatesCard() {
  const d = { within_m: 50, days: 7, ...(flow.duplicates || {}) };
  const set = (k, v) => { flow.duplicates = { ...d, [k]: v }; changed(); };
  return h("section", { class: "card flow-card", id: "flow-duplicates" }, [
    h("h2", {}, "重复上报提示"),
    h("div", { class: "rule-row" }, [
      "相距", numberInput(d.within_m, (v) => set("within_m", v), "dup-within", 1, 5000), "米以内、",
      numberInput(d.days, (v) => set("days", v), "dup-days", 1, 365), "天以内的同类上报，提示派遣人员可能重复",
    ]),
    h("p", { class: "problem", "data-pointer": "/flow/duplicates/within_m" }),
    h("p", { class: "problem", "data-pointer": "/flow/duplicates/days" }),
  ]);
}

function markProblems() {
  root.querySelectorAll("[data-pointer]").forEach((el) => {
    const mine = problems.filter((p) => p.pointer === el.dataset.pointer);
    el.textContent = mine.map((p) => p.message).join("；");
    el.hidden = !mine.length;
  });
}

function render() {
  const template = templates[flow.template || "none"];
  const cards = [templateCard()];
  if (template && template.key !== "none") {
    cards.push(openWhenCard(), routingCard(), limitsCard(template), duplicatesCard());
  }
  root.replaceChildren(...cards);
  root.querySelectorAll("input, select, button").forEach((el) => { if (readOnly) el.disabled = true; });
  markProblems();
}

document.getElementById("flow-copy").addEventListener("click", () => saver.copyMine());
document.getElementById("flow-reload").addEventListener("click", () => saver.load());
document.getElementById("save-retry").addEventListener("click", () => saver.saveNow());
saver.load();
