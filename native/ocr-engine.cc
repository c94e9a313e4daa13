// aiguillage-ocr: a resident libtesseract process for the OCR pool (parsers/ocr/native.ts).
//
// Why a process and not tesseract.js alone: the WASM build runs Tesseract's int8 LSTM with 128-bit
// SIMD, the system library with AVX2 — about 1.5× slower per fax page on the same model. Why not the
// `tesseract` CLI per page: it loads the model again for every page. This program loads the model
// once and reads pages from stdin until EOF; a crash or a hang costs one page, not the worker.
//
// Protocol (binary-safe, one request at a time):
//   start-up   → "READY <tesseract version>\n"   or "FATAL <reason>\n" and exit status 2
//   request    ← "<id> <dpi> <psm> <timeout ms> <byte count>\n" then the image bytes (PGM, PNG, TIFF…)
//   answer     → "<id> OK <word count>\n" then one line per word:
//                "<line index>\t<x0>\t<y0>\t<x1>\t<y1>\t<confidence 0-100>\t<text>\n"
//              or "<id> ERR <reason>\n" (unreadable image, timeout); the process goes on.
// Build: scripts/build-ocr-engine.sh (g++ and libtesseract-dev).
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>
#include <leptonica/allheaders.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

// Leptonica and Tesseract print warnings on stderr; stdout carries the protocol only.
void reply(const std::string& s) {
  fwrite(s.data(), 1, s.size(), stdout);
  fflush(stdout);
}

std::string clean(const char* text) {
  std::string out;
  for (const char* p = text; p && *p; ++p) out.push_back(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p);
  return out;
}

bool readExactly(std::vector<unsigned char>& buf, size_t n) {
  buf.resize(n);
  size_t got = 0;
  while (got < n) {
    size_t r = fread(buf.data() + got, 1, n - got, stdin);
    if (r == 0) return false;
    got += r;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const char* tessdata = nullptr;
  const char* lang = "fra";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--tessdata")) tessdata = argv[i + 1];
    else if (!strcmp(argv[i], "--lang")) lang = argv[i + 1];
  }
  setvbuf(stdin, nullptr, _IOFBF, 1 << 16);

  tesseract::TessBaseAPI api;
  if (api.Init(tessdata, lang, tesseract::OEM_LSTM_ONLY) != 0) {
    reply(std::string("FATAL cannot load the '") + lang + "' model from " + (tessdata ? tessdata : "the default tessdata folder") + "\n");
    return 2;
  }
  // The table cutter works from word boxes: runs of spaces stay out of words.
  api.SetVariable("preserve_interword_spaces", "0");
  reply(std::string("READY ") + tesseract::TessBaseAPI::Version() + "\n");

  char header[256];
  std::vector<unsigned char> image;
  while (fgets(header, sizeof header, stdin)) {
    long id = 0, dpi = 0, psm = 0, timeoutMs = 0;
    unsigned long size = 0;
    if (sscanf(header, "%ld %ld %ld %ld %lu", &id, &dpi, &psm, &timeoutMs, &size) != 5 || size == 0 || size > (512ul << 20)) {
      reply("0 ERR malformed request header\n");
      return 3;  // The stream is out of step: the caller starts a new process.
    }
    if (!readExactly(image, size)) return 0;  // Caller gone mid-request.
    Pix* pix = pixReadMem(image.data(), image.size());
    if (!pix) {
      reply(std::to_string(id) + " ERR the image could not be decoded\n");
      continue;
    }
    api.SetPageSegMode(static_cast<tesseract::PageSegMode>(psm));
    api.SetImage(pix);
    if (dpi > 0) api.SetSourceResolution(static_cast<int>(dpi));
    tesseract::ETEXT_DESC monitor;
    if (timeoutMs > 0) monitor.set_deadline_msecs(static_cast<int>(timeoutMs));
    int rc = api.Recognize(&monitor);
    if (rc != 0 || (timeoutMs > 0 && monitor.deadline_exceeded())) {
      reply(std::to_string(id) + (timeoutMs > 0 && monitor.deadline_exceeded() ? " ERR timeout\n" : " ERR recognition failed\n"));
      api.Clear();
      pixDestroy(&pix);
      continue;
    }
    std::string body;
    size_t words = 0;
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    int line = -1;
    if (it) {
      do {
        if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) ++line;
        if (it->Empty(tesseract::RIL_WORD)) continue;
        std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
        int x0, y0, x1, y1;
        if (!text || !it->BoundingBox(tesseract::RIL_WORD, &x0, &y0, &x1, &y1)) continue;
        char num[96];
        snprintf(num, sizeof num, "%d\t%d\t%d\t%d\t%d\t%.2f\t", line < 0 ? 0 : line, x0, y0, x1, y1, it->Confidence(tesseract::RIL_WORD));
        body += num;
        body += clean(text.get());
        body += '\n';
        ++words;
      } while (it->Next(tesseract::RIL_WORD));
    }
    it.reset();
    api.Clear();
    pixDestroy(&pix);
    reply(std::to_string(id) + " OK " + std::to_string(words) + "\n" + body);
  }
  api.End();
  return 0;
}
