// josa.js: the Korean particle a word takes, so that a message with a value
// in it reads like a sentence ("표준편차가", "학습률을", "0.1로") and not like
// machine output ("표준편차이(가)"). The particle depends on whether the
// word's last syllable, as it is read aloud, ends in a consonant (받침);
// 으로/로 also treats a final ㄹ as no consonant.

// How the last character of a number or a Latin name is read: its final consonant,
// '' for none. Digits: 영 일 이 삼 사 오 육 칠 팔 구; letters as their Korean names.
const DIGIT_FINAL = ['ㅇ', 'ㄹ', '', 'ㅁ', '', '', 'ㄱ', 'ㄹ', 'ㄹ', ''];
const LETTER_FINAL = { l: 'ㄹ', m: 'ㅁ', n: 'ㄴ', r: 'ㄹ' }; // 엘 엠 엔 알; the others end in a vowel

function finalOf(word) {
  const w = word.replace(/[\s)\]}'"%.…]+$/u, '');
  const c = w[w.length - 1] ?? '';
  const code = c.charCodeAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) {
    const f = (code - 0xac00) % 28;
    return f === 0 ? '' : f === 8 ? 'ㄹ' : 'x';
  }
  if (/[0-9]/.test(c)) return DIGIT_FINAL[Number(c)];
  return LETTER_FINAL[c.toLowerCase()] ?? '';
}

// word + the right half of `pair` ("이/가": first after a consonant, second after a vowel).
export function withParticle(word, pair) {
  if (!pair) return word;
  const [consonant, vowel] = pair.split('/');
  const f = finalOf(word);
  const hasFinal = pair === '으로/로' ? f !== '' && f !== 'ㄹ' : f !== '';
  return word + (hasFinal ? consonant : vowel);
}
