// The console's one chart protocol (src/console/charts.ts): draws every [data-chart] element with the
// ECharts option the server put in its sibling <script type="application/json">, on page load and again
// after each htmx swap (filters refresh only part of a page).
(function () {
  function render(root) {
    root.querySelectorAll('[data-chart]').forEach(function (el) {
      var source = document.getElementById(el.id + '-option');
      if (!source) return;
      var existing = echarts.getInstanceByDom(el);
      if (existing) existing.dispose();
      echarts.init(el).setOption(JSON.parse(source.textContent));
      el.setAttribute('data-rendered', 'true');
    });
  }
  document.addEventListener('DOMContentLoaded', function () { render(document); });
  document.addEventListener('htmx:afterSettle', function () { render(document); });
  window.addEventListener('resize', function () {
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  });
})();
