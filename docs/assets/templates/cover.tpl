<div class="book-cover">
  <h1 class="book-cover__title">动手学深度学习</h1>
  <p class="book-cover__subtitle">Apache MXNet / Gluon 版 · 可执行教材</p>
  <p class="book-cover__note">书中全部代码均在构建时于 CPU 上实际执行，输出即为运行结果。</p>
</div>
