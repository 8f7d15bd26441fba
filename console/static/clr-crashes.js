// Draws the Crashes page's top-guilty bar chart from the JSON the server rendered next to it; redrawn
// after every htmx swap of the filtered partial.
(function () {
  function draw() {
    var data = document.getElementById('clr-top-data');
    var el = document.getElementById('clr-top-chart');
    if (!data || !el || !window.echarts) return;
    var d = JSON.parse(data.textContent);
    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el);
    chart.setOption({
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: d.labels, axisLabel: { width: 420, overflow: 'truncate' } },
      series: [{ type: 'bar', name: 'crashes', data: d.totals, label: { show: true, position: 'right' } }],
    }, true);
  }
  function drawOverview() {
    var data = document.getElementById('clr-overview-data');
    var pie = document.getElementById('clr-class-chart');
    var column = document.getElementById('clr-build-chart');
    if (!data || !pie || !column || !window.echarts) return;
    var d = JSON.parse(data.textContent);
    (window.echarts.getInstanceByDom(pie) || window.echarts.init(pie)).setOption({
      tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: '65%', data: d.byClassification.map(function (c) { return { name: c.classification, value: c.crashes }; }) }],
    }, true);
    var builds = d.byBuild.slice().reverse();
    (window.echarts.getInstanceByDom(column) || window.echarts.init(column)).setOption({
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: builds.map(function (b) { return b.build; }) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: 'crashes', data: builds.map(function (b) { return b.crashes; }) }],
    }, true);
  }
  document.addEventListener('DOMContentLoaded', drawOverview);
  if (document.readyState !== 'loading') drawOverview();
  document.addEventListener('DOMContentLoaded', draw);
  document.addEventListener('htmx:afterSettle', draw);
  if (document.readyState !== 'loading') draw();
})();
