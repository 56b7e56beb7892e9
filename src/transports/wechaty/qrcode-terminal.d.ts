// Type declarations for qrcode-terminal (the package ships none).
declare module 'qrcode-terminal' {
  export function generate(
    text: string,
    options?: { small?: boolean },
    callback?: (qrcode: string) => void,
  ): void;
}
