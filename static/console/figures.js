// 考核统计: the trend as a chart — new and closed orders as bars, 按期处置率 and 结案率 as lines.
// The numbers are the page's (json_script "figures-chart"), computed on the server.

import * as echarts from "../vendor/echarts/echarts.esm.min.js";

const setup = JSON.parse(document.getElementById("figures-chart").textContent);
const box = document.getElementById("figures-trend");
const { labels } = setup;
const when = (start) => (setup.by === "week" ? start.slice(5) : start.slice(0, 7));
const rate = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);

const chart = echarts.init(box, null, { renderer: "svg" });
chart.setOption({
  animation: false,
  tooltip: { trigger: "axis", valueFormatter: (v) => (v === null ? "—" : String(v)) },
  legend: { top: 0 },
  grid: { left: 40, right: 48, top: 36, bottom: 28 },
  xAxis: { type: "category", data: setup.trend.map((b) => when(b.start)) },
  yAxis: [
    { type: "value", name: "件", minInterval: 1 },
    { type: "value", name: "%", min: 0, max: 100 },
  ],
  series: [
    { name: labels.opened, type: "bar", data: setup.trend.map((b) => b.figures.opened) },
    { name: labels.closed, type: "bar", data: setup.trend.map((b) => b.figures.closed) },
    { name: labels.on_time_rate, type: "line", yAxisIndex: 1, connectNulls: false,
      data: setup.trend.map((b) => rate(b.figures.on_time_rate)) },
    { name: labels.closure_rate, type: "line", yAxisIndex: 1, connectNulls: false,
      data: setup.trend.map((b) => rate(b.figures.closure_rate)) },
  ],
});
window.addEventListener("resize", () => chart.resize());
box.dataset.ready = "1";
