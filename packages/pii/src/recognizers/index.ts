import type { Recognizer } from '../recognizer.ts';
import { streetAddressRecognizer } from './address.ts';
import { cryptoWalletRecognizer } from './crypto-wallet.ts';
import { deviceIdRecognizer } from './device.ts';
import { dateOfBirthRecognizer } from './dob.ts';
import { emailRecognizer } from './email.ts';
import { geoRecognizer } from './geo.ts';
import { mrzRecognizer } from './mrz.ts';
import { ipRecognizer, macRecognizer } from './network.ts';
import { creditCardRecognizer, ibanRecognizer } from './payment.ts';
import { personRecognizer } from './person.ts';
import { phoneRecognizer } from './phone.ts';
import { secretRecognizer } from './secret.ts';
import { ukDrivingLicenceRecognizer, ukNinoRecognizer } from './uk-ids.ts';
import { ssnRecognizer, usDriverLicenseRecognizer, usPassportRecognizer } from './us-ids.ts';
import {
  auMedicareRecognizer,
  auTfnRecognizer,
  saNationalIdRecognizer,
  ukNhsRecognizer,
} from './weak-numeric.ts';

/** Every built-in recognizer except PLATFORM_USER_ID, which is built from configuration. */
export const builtInRecognizers: readonly Recognizer[] = [
  emailRecognizer,
  phoneRecognizer,
  ipRecognizer,
  macRecognizer,
  creditCardRecognizer,
  ibanRecognizer,
  ssnRecognizer,
  usDriverLicenseRecognizer,
  usPassportRecognizer,
  mrzRecognizer,
  ukNinoRecognizer,
  ukDrivingLicenceRecognizer,
  ukNhsRecognizer,
  auTfnRecognizer,
  auMedicareRecognizer,
  saNationalIdRecognizer,
  dateOfBirthRecognizer,
  personRecognizer,
  streetAddressRecognizer,
  deviceIdRecognizer,
  geoRecognizer,
  cryptoWalletRecognizer,
  secretRecognizer,
];
