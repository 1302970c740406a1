// Draws a kpitree dashboard page from its embedded JSON (orchestration/dashboard/site.py):
// the filters, the charts (plotly.js, shipped beside this file) and the tables.
(function () {
  "use strict";
  const spec = JSON.parse(document.getElementById("page-data").textContent);
  const state = {};

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    (children || []).forEach((c) => node.append(c));
    return node;
  }

  function options(filter) {
    const seen = new Map();
    spec.rows.forEach((row) => {
      if (row[filter.key] != null) seen.set(row[filter.key], filter.key === "period" ? row.period_label : row[filter.key]);
    });
    const values = [...seen.keys()].sort();
    return filter.key === "period" ? values.reverse().map((v) => [v, seen.get(v)]) : values.map((v) => [v, seen.get(v)]);
  }

  function drawFilters() {
    const box = document.getElementById("filters");
    (spec.filters || []).forEach((filter) => {
      const choices = options(filter);
      const select = el("select", { id: "filter-" + filter.key });
      if (!filter.latest && !filter.required) select.append(el("option", { value: "" }, ["すべて"]));
      choices.forEach(([value, label]) => select.append(el("option", { value: value }, [label])));
      const first = choices.length ? choices[0][0] : "";
      const known = choices.some(([value]) => value === filter.default);
      state[filter.key] = known ? filter.default : (filter.latest || filter.required ? first : "");
      select.value = state[filter.key];
      select.addEventListener("change", () => { state[filter.key] = select.value; draw(); });
      box.append(el("label", {}, [filter.label + " ", select]));
    });
  }

  function selected(ignore) {
    return spec.rows.filter((row) => (spec.filters || []).every(
      (f) => f.key === ignore || !state[f.key] || row[f.key] === state[f.key]));
  }

  function cell(row, column) {
    if (!column.kpi) return el("td", {}, [String(row[column.key] ?? "")]);
    const v = row[column.kpi];
    const td = el("td", { class: "num" + (v && v.status ? " status-" + v.status : "") }, [v ? v.text : "-"]);
    td.dataset.kpi = column.kpi;
    return td;
  }

  function table(columns, rows) {
    if (!rows.length) return el("p", { class: "empty" }, ["この条件のデータはありません"]);
    const head = el("tr", {}, columns.map((c) => el("th", {}, [c.label])));
    const body = rows.map((row) => {
      const tr = el("tr", {}, columns.map((c) => cell(row, c)));
      tr.dataset.key = row.key;
      return tr;
    });
    return el("table", {}, [el("thead", {}, [head]), el("tbody", {}, body)]);
  }

  function kpiTable(rows) {
    const row = rows[0];
    if (!row) return el("p", { class: "empty" }, ["この月のデータはありません"]);
    const head = el("tr", {}, ["KPI", "実績", "目標", "達成率", "状態"].map((t) => el("th", {}, [t])));
    const body = spec.kpis.map((k) => {
      const v = row[k.kpi] || {};
      const tr = el("tr", { class: v.status ? "status-" + v.status : "" }, [
        el("td", {}, [k.label]),
        el("td", { class: "num" }, [v.text || "-"]),
        el("td", { class: "num" }, [v.target_text || "-"]),
        el("td", { class: "num" }, [v.attainment == null ? "-" : v.attainment.toFixed(1) + "%"]),
        el("td", {}, [v.status_ja || "-"]),
      ]);
      tr.dataset.kpi = k.kpi;
      return tr;
    });
    return el("table", {}, [el("thead", {}, [head]), el("tbody", {}, body)]);
  }

  function funnelTable(rows) {
    rows = rows.slice().sort((a, b) => a.stage_order - b.stage_order);
    const shown = rows.map((r) => ({ key: r.stage, stage: r.stage_label + (r.drop_off ? " ← 最も落ちる段階" : ""),
      entered: r.entered.toLocaleString("ja-JP"), converted: r.converted == null ? "-" : r.converted.toLocaleString("ja-JP"), rate: r.rate_text,
      drop_off: r.drop_off }));
    const t = table([{ key: "stage", label: "段階" }, { key: "entered", label: "件数" },
                     { key: "converted", label: "次の段階へ" }, { key: "rate", label: "転換率" }], shown);
    t.querySelectorAll("tbody tr").forEach((tr, i) => { if (shown[i].drop_off) tr.classList.add("status-off_track"); });
    return t;
  }

  function alertTables() {
    const alerts = spec.alerts.map((a) => ({ key: a.subject, department_ja: a.department_ja, message: a.message }));
    const rules = spec.violations.map((v) => ({ key: v.rule, department_ja: v.department_ja, rule: v.rule, severity: v.severity, leads: String(v.leads) }));
    return [
      el("h2", {}, ["未達アラート (" + alerts.length + " 件)"]),
      table([{ key: "department_ja", label: "担当部門" }, { key: "message", label: "内容" }], alerts),
      el("h2", {}, ["MQL/SQL 定義違反"]),
      table([{ key: "department_ja", label: "担当部門" }, { key: "rule", label: "ルール" },
             { key: "severity", label: "重大度" }, { key: "leads", label: "リード数" }], rules),
    ];
  }

  const NODE_TYPES = { kgi: "KGI", ksf: "KSF", kpi: "KPI" };

  // The tree of the chosen file: every node as a box under its parent; a node measured in
  // the chosen month shows its actual, target, attainment and status, the weakest marked.
  function treeView(rows) {
    const judged = new Map(rows.map((r) => [r.node_id, r]));
    const nodes = spec.nodes.filter((n) => n.tree === state.tree);
    if (!nodes.length) return el("p", { class: "empty" }, ["KPIツリーがありません (kpi_trees/*.yml)"]);
    const children = new Map();
    nodes.forEach((n) => {
      if (!children.has(n.parent_id)) children.set(n.parent_id, []);
      children.get(n.parent_id).push(n);
    });
    function box(node) {
      const r = judged.get(node.node_id);
      const classes = ["node", "node-" + node.type];
      if (r && r.status) classes.push("status-" + r.status);
      if (r && r.weakest) classes.push("weakest");
      if (!r) classes.push("unmeasured");
      const head = [el("span", { class: "node-type" }, [NODE_TYPES[node.type] || node.type]), " ",
                    el("strong", {}, [node.name])];
      if (r && r.weakest) head.push(" ", el("span", { class: "badge" }, ["最も弱いノード"]));
      const body = [el("div", { class: "node-head" }, head)];
      if (r) {
        const figures = el("div", { class: "figures" }, [
          el("span", { class: "actual" }, [r.text]), " / 目標 ",
          el("span", { class: "target" }, [r.target_text]),
          " ・ 達成率 ", el("span", { class: "attainment" }, [r.attainment == null ? "-" : r.attainment.toFixed(1) + "%"]),
          " ・ ", el("span", { class: "status" }, [r.status_ja || "-"]),
        ]);
        body.push(figures, el("div", { class: "period" }, [r.node_period + (r.is_in_progress ? " (" + r.as_of + " 時点、期末見込みで判定)" : "")]));
      }
      const li = el("li", {}, [el("div", { class: classes.join(" ") }, body)]);
      li.firstChild.dataset.node = node.node_id;
      const kids = children.get(node.node_id) || [];
      if (kids.length) li.append(el("ul", {}, kids.map(box)));
      return li;
    }
    return el("ul", { class: "tree" }, (children.get(null) || []).map(box));
  }

  // The tree's arithmetic (kpitree tree): elasticities, the bottleneck, goal seek.
  function analysisView() {
    const node = spec.nodes.find((n) => n.tree === state.tree);
    const a = node && (spec.analysis || {})[node.tree_id];
    if (!a) return [];
    const section = el("section", { id: "tree-analysis" }, [el("h2", {}, ["KGIへの感度・ボトルネック・目標達成に必要な変化"])]);
    if (a.error) {
      section.append(el("p", { class: "empty" }, [a.error]));
      return [section];
    }
    section.append(...a.lines.slice(0, 2).map((line) => el("p", {}, [line])));
    const head = el("tr", {}, a.columns.map((c) => el("th", {}, [c])));
    const body = a.rows.map((row) => el("tr", { class: row[0].includes("★") ? "weakest" : "" },
      row.map((v, i) => el("td", { class: i ? "num" : "" }, [v]))));
    section.append(el("table", { class: "analysis" }, [el("thead", {}, [head]), el("tbody", {}, body)]));
    section.append(el("p", { class: "note" }, [a.note]));
    section.append(el("ul", {}, a.lines.slice(2).map((line) => el("li", {}, [line]))));
    return [section];
  }

  function chart(c) {
    const div = el("div", { class: "chart", id: "chart-" + c.id });
    document.getElementById("charts").append(div);
    let traces;
    const layout = { title: { text: c.title }, margin: { t: 40, r: 20, b: 80, l: 70 }, showlegend: c.type === "trend" };
    if (c.type === "funnel") {
      const rows = selected().sort((a, b) => a.stage_order - b.stage_order);
      traces = [{ type: "bar", name: "件数", x: rows.map((r) => r.stage_label), y: rows.map((r) => r.entered),
                  marker: { color: rows.map((r) => r.drop_off ? "#c0392b" : "#1f77b4") } }];
    } else if (c.type === "standing") {
      const names = new Map(spec.nodes.map((n) => [n.tree_id + "/" + n.node_id, n.name]));
      const rows = selected().filter((r) => r.standing != null).sort((a, b) => a.standing - b.standing);
      traces = [{ type: "bar", orientation: "h", name: "達成度", y: rows.map((r) => names.get(r.tree_id + "/" + r.node_id)),
                  x: rows.map((r) => r.standing), text: rows.map((r) => r.text + " / " + r.target_text), hoverinfo: "y+text",
                  marker: { color: rows.map((r) => r.weakest ? "#c0392b" : "#1f77b4") } }];
      layout.margin.l = 200;
      layout.yaxis = { autorange: "reversed" };
      layout.shapes = [{ type: "line", yref: "paper", y0: 0, y1: 1, x0: 100, x1: 100, line: { color: "#555", dash: "dot" } }];
      div.style.height = Math.max(320, 60 + 22 * rows.length) + "px";
    } else if (c.type === "trend") {
      const rows = selected("period");
      const x = rows.map((r) => r.period_label);
      traces = [{ type: "scatter", mode: "lines+markers", name: "実績", x: x, y: rows.map((r) => r[c.kpi] ? r[c.kpi].value : null) }];
      if (rows.some((r) => r[c.kpi] && r[c.kpi].target != null)) {
        traces.push({ type: "scatter", mode: "lines", name: "目標", line: { dash: "dash" }, x: x,
                      y: rows.map((r) => r[c.kpi] ? r[c.kpi].target : null) });
      }
    } else {
      const rows = selected();
      const missing = c.missing === undefined ? null : c.missing;
      traces = [{ type: "bar", name: c.title, x: rows.map((r) => r[c.x]), y: rows.map((r) => r[c.kpi] ? r[c.kpi].value : missing) }];
      if (c.benchmark) {
        layout.shapes = [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: c.benchmark, y1: c.benchmark, line: { color: "#c0392b", dash: "dot" } }];
      }
    }
    Plotly.newPlot(div, traces, layout, { displayModeBar: false, responsive: true });
  }

  function draw() {
    const charts = document.getElementById("charts");
    const tables = document.getElementById("tables");
    charts.replaceChildren();
    tables.replaceChildren();
    (spec.charts || []).forEach(chart);
    if (spec.layout === "alerts") tables.append(...alertTables());
    else if (spec.layout === "funnel") tables.append(funnelTable(selected()));
    else if (spec.layout === "kpis") tables.append(kpiTable(selected()));
    else if (spec.layout === "tree") tables.append(treeView(selected()), ...analysisView());
    else tables.append(table(spec.columns, selected()));
  }

  drawFilters();
  draw();
})();
