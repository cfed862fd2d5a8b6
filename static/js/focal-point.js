// Image admin: click the preview to set the focal point (the numeric fields are the
// no-JavaScript way to do the same).
document.addEventListener("DOMContentLoaded", () => {
  const picker = document.querySelector(".focal-picker");
  const x = document.getElementById("id_focal_x");
  const y = document.getElementById("id_focal_y");
  if (!picker || !x || !y) return;
  const marker = picker.querySelector(".focal-picker__marker");
  const place = () => {
    marker.style.left = `${Number(x.value) * 100}%`;
    marker.style.top = `${Number(y.value) * 100}%`;
  };
  picker.addEventListener("click", (event) => {
    const box = picker.querySelector("img").getBoundingClientRect();
    x.value = ((event.clientX - box.left) / box.width).toFixed(3);
    y.value = ((event.clientY - box.top) / box.height).toFixed(3);
    place();
  });
  x.addEventListener("input", place);
  y.addEventListener("input", place);
  place();
});
