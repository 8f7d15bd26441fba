// Draws the ECharts chart of a Fuel report from its data-chart attribute, on load and after each htmx swap.
(function () {
  function draw(root) {
    (root || document).querySelectorAll('.fuel-chart[data-chart]').forEach(function (el) {
      var spec = JSON.parse(el.getAttribute('data-chart'));
      var existing = window.echarts.getInstanceByDom(el);
      if (existing) existing.dispose();
      var chart = window.echarts.init(el, null, { renderer: 'svg' });
      var series = spec.kind === 'pie'
        ? [{ type: 'pie', radius: '65%', data: spec.labels.map(function (l, i) { return { name: l, value: spec.values[i] }; }), label: { formatter: '{b}: {c}' } }]
        : [{ type: 'bar', data: spec.values, label: { show: true, position: 'top' } }];
      chart.setOption({
        title: { text: spec.title, textStyle: { fontSize: 13 } },
        tooltip: {},
        animation: false,
        xAxis: spec.kind === 'pie' ? undefined : { type: 'category', data: spec.labels, axisLabel: { interval: 0, rotate: spec.labels.length > 6 ? 30 : 0 } },
        yAxis: spec.kind === 'pie' ? undefined : { type: 'value' },
        series: series,
      });
      el.setAttribute('data-rendered', 'true');
    });
  }
  document.addEventListener('DOMContentLoaded', function () { draw(document); });
  document.addEventListener('htmx:afterSettle', function (e) { draw(e.target); });
})();
