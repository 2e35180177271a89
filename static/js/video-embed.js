// Click-to-play: the page shows a local placeholder; the host's player (an iframe, allowed by the
// CSP frame-src for the known hosts only) is inserted when the reader asks for it, so no request
// reaches the video host before that click.
(function () {
  "use strict";

  function play(player) {
    var frame = document.createElement("iframe");
    frame.src = player.dataset.embedUrl;
    frame.title = player.dataset.title || "Video";
    frame.className = "video-frame";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    player.replaceChildren(frame);
    player.classList.add("is-playing");
    frame.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".video-play");
    var player = button && button.closest(".video-player");
    if (player && player.dataset.embedUrl) {
      play(player);
    }
  });
})();
