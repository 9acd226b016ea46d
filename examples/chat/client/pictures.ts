// Pictures picked with the file input or pasted into the page.
import { checkPicture } from "../protocol.js";

export type PictureHandler = (file: File) => void;
export type ProblemHandler = (problem: string) => void;

/** Calls `onPicture` with each acceptable file, `onProblem` with why any other is refused. */
export function watchPictures(input: HTMLInputElement, onPicture: PictureHandler, onProblem: ProblemHandler): void {
  const take = (files: Iterable<File>): void => {
    for (const file of files) {
      const problem = checkPicture(file.type, file.size);
      if (problem) onProblem(problem);
      else onPicture(file);
    }
  };
  input.addEventListener("change", () => {
    take(input.files ?? []);
    input.value = "";
  });
  document.addEventListener("paste", (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    take(files);
  });
}

/** An <img> showing bytes received from the server. */
export function imageOf(data: ArrayBuffer | Uint8Array | Blob, type: string, alt: string): HTMLImageElement {
  const blob = data instanceof Blob ? data : new Blob([data as BlobPart], { type });
  const img = document.createElement("img");
  img.alt = alt;
  img.src = URL.createObjectURL(blob);
  return img;
}
