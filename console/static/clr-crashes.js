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
  document.addEventListener('DOMContentLoaded', draw);
  document.addEventListener('htmx:afterSettle', draw);
  if (document.readyState !== 'loading') draw();
})();
